/* Machine-wide judge slots. A slot gives a sandbox its uid (60000 + slot, when
 * root) and its per-uid limits, so two verdict processes on one machine (two
 * servers, a server and a `problem import`, parallel tests) must never use
 * the same one. A slot is taken by holding an flock on /tmp/verdict-slot-N.lock
 * for as long as it is used; the kernel releases it when the holder dies. */
#pragma once

#define SLOTS_MAX 1000

/* Takes `count` free slots (the lowest free numbers) into slots[], keeping
   their lock fds in fds[]. Returns 0, or -EAGAIN when not enough are free. */
int slots_take(int count, int *slots, int *fds);
/* Gives slots back (closes the fds). */
void slots_give(const int *fds, int count);
