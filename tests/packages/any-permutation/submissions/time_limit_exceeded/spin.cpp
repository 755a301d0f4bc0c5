// Never finishes (the volatile keeps the loop from being optimized away).
int main()
{
	volatile unsigned long counter = 0;
	for (;;)
		counter = counter + 1;
}
