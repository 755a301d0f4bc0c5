/* In wrong_answer/, but its DOMjudge comment says what it gets:
 * @EXPECTED_RESULTS@: RUN-ERROR
 */
#include <stdlib.h>
int main(void)
{
	abort();
}
