/* Judge: queue and worker pool (the pool arrives with the sandbox). */
#include "judge.h"

#include <stddef.h>

void judge_wake(struct judge *j)
{
	(void)j;
}
