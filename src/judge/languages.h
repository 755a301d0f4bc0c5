/* Programming languages: the built-in C, C++ and Python 3, plus any defined in
 * a language file, each with the commands that compile and run it. Only
 * languages whose toolchain is installed are offered. Read-only once loaded. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "judge_report.h"

struct language {
	char *id;            /* "c" */
	char *name;          /* "C17 (gcc 12)" */
	char **extensions;   /* NULL-terminated: {"c", NULL} */
	char *source;        /* file name of the source in the box: "main.c" */
	char **compile;      /* argv run in the box to compile, NULL-terminated; NULL = nothing to compile */
	char **run;          /* argv run in the box for each test */
	bool interpreted;    /* the run needs the wider interpreter sandbox profile */
	unsigned compile_output_mb; /* the most a compile may write: any one file and the whole box, MiB */
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
   "compile_output_mb" is optional (default LANGUAGE_COMPILE_OUTPUT_MB). */
struct languages *languages_load(const char *file, char **err);
void languages_free(struct languages *ls);
/* An available language by id, or NULL. */
const struct language *languages_find(const struct languages *ls, const char *id);
/* The available ids, comma-separated, for error messages (borrowed). */
const char *languages_ids(const struct languages *ls);
/* [{"id", "name", "extensions"}] of the available languages; new reference. */
json_t *languages_json(const struct languages *ls);
/* The toolchains of the available languages: each one's compiler (or, with
   nothing to compile, its interpreter) when it is a host program, with the
   first line of its --version (at most 2 s each; "" when it says nothing).
   Runs those programs: call it before threads start, or from a process of
   its own. Returns a malloc'd array (free() it) and sets *count. */
struct judge_toolchain *languages_toolchains(const struct languages *ls, size_t *count);
