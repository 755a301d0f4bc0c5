/* Never finishes: spins before reading anything. */
int main(void)
{
	volatile unsigned long counter = 0;
	for (;;)
		counter++;
}
