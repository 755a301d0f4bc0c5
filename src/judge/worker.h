/* A judge worker process: receives submission ids from the server's
 * dispatcher, compiles and runs them in the sandbox, checks the output and
 * reports progress. Started as `verdict worker` (not for people), with its
 * end of the dispatcher's socket as fd 3. */
#pragma once

/* The `worker` command: argv after the command name. Returns the exit code. */
int worker_main(int argc, char **argv);
