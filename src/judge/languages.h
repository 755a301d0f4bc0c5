/* Programming languages: the built-in C, C++, Python 3, and Java, Kotlin and
 * PyPy 3 where Debian's toolchains are installed, plus any defined in a
 * language file, each with the commands that compile and run it. Only
 * languages whose toolchain is installed are offered. Read-only once loaded.
 *
 * Commands are templates: the argument "{files}" becomes the submission's
 * files that have one of the language's extensions (one argument each), and
 * within any argument "{entry}" becomes the entry point (language_entry) and
 * "{memory_kb}" the test's memory limit in KiB. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "judge_report.h"

/* What a language's entry point is (the "entry" of a language file). */
enum language_entry {
	LANGUAGE_ENTRY_NONE,   /* "none": every file is compiled into one program (C, C++) */
	LANGUAGE_ENTRY_FILE,   /* "file": the file that is run (Python: "main.py") */
	LANGUAGE_ENTRY_CLASS,  /* "class": the class with main, a file's stem by default (Java: "Main") */
	LANGUAGE_ENTRY_KOTLIN, /* "kotlin": the class of a file's top-level main ("main.kt" -> "MainKt") */
};

struct language {
	char *id;            /* "c" */
	char *name;          /* "C17 (gcc 12)" */
	char **extensions;   /* NULL-terminated: {"c", NULL} */
	char *source;        /* file name of the source in the box: "main.c" */
	char **compile;      /* argv run in the box to compile, NULL-terminated; NULL = nothing to compile */
	char **run;          /* argv run in the box for each test */
	bool interpreted;    /* the run needs the wider interpreter sandbox profile */
	unsigned compile_output_mb; /* the most a compile may write: any one file and the whole box, MiB */
	enum language_entry entry;
	bool jvm;            /* the JVM memory rule: no address-space limit; exit code 3 (its
	                        -XX:+ExitOnOutOfMemoryError) is MLE */
	unsigned threads;    /* processes + threads a run may have (the JVM starts ~20) */
	unsigned compile_s;  /* CPU seconds a compile may take */
	char **env;          /* NULL-terminated "NAME=value" added to its compile's and runs' environment */
	char **ro_paths;     /* NULL-terminated host paths beyond the sandbox's default that its
	                        commands read (the JDK's /etc/java-17-openjdk) */
};

/* What a compile may write by default (a language file's "compile_output_mb"
   changes it per language; validators at import use it too). */
#define LANGUAGE_COMPILE_OUTPUT_MB 64

struct languages;

/* Built-ins, then the definitions of `file` (JSON array; may be NULL), which
   replace built-ins with the same id. NULL with *err if the file is invalid.
   The language file format:
   [{"id": "java", "name": "Java 17", "extensions": ["java"], "source": "Main.java",
     "compile": ["/usr/bin/javac", "Main.java"], "run": ["/usr/bin/java", "Main"],
     "interpreted": true, "compile_output_mb": 256}]
   "compile_output_mb" is optional (default LANGUAGE_COMPILE_OUTPUT_MB), as are "entry"
   ("none", "file", "class", "kotlin"; default "none"), "jvm" (false), "threads" (16),
   "compile_seconds" (10), "env" ([]) and "ro_paths" ([]). */
struct languages *languages_load(const char *file, char **err);
void languages_free(struct languages *ls);
/* An available language by id, or NULL. */
const struct language *languages_find(const struct languages *ls, const char *id);
/* The available ids, comma-separated, for error messages (borrowed). */
const char *languages_ids(const struct languages *ls);
/* Whether name ends in one of the language's extensions ("a.java"). */
bool language_has_extension(const struct language *l, const char *name);
/* The entry point of a submission made of the files `names` (n of them):
   `given` (a file among them, or for CLASS and KOTLIN a class name), else
   derived from the one file with the language's extension, else from the
   file named l->source. Written to out; NULL, or a message (malloc'd) that
   says what is wrong. NONE: out gets "". */
char *language_entry(const struct language *l, const char *const *names, size_t n, const char *given,
		     char *out, size_t outlen);
/* A command template with {files}, {entry} and {memory_kb} filled in
   (NULL-terminated, malloc'd: free with language_argv_free). */
char **language_argv(const struct language *l, char *const *tmpl, const char *const *names, size_t n,
		     const char *entry, unsigned long long memory_kb);
void language_argv_free(char **argv);
/* base (NULL-terminated) and the language's env; free with language_argv_free. */
char **language_env(const struct language *l, const char *const *base);
/* The extra read-only paths of every language, NULL-terminated (borrowed). */
const char *const *languages_ro_paths(const struct languages *ls);
/* [{"id", "name", "extensions", "entry_point" ("none", "file" or "class": what an entry point
   names), "source" (the file name a single source gets)}] of the available languages; new reference. */
json_t *languages_json(const struct languages *ls);
/* The toolchains of the available languages: each one's compiler (or, with
   nothing to compile, its interpreter) when it is a host program, with the
   first line of its --version (at most 2 s each; "" when it says nothing).
   Runs those programs: call it before threads start, or from a process of
   its own. Returns a malloc'd array (free() it) and sets *count. */
struct judge_toolchain *languages_toolchains(const struct languages *ls, size_t *count);
