/* What the imports of teams, contests and contest packages share (api_teams.c):
 * accounts checked against the users and hashed, the store's failure explained
 * by the file it comes from, the contest created with its teams all or nothing,
 * and the answer with the generated passwords. Internal to the api part. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "contest_files.h"
#include "db.h"
#include "http.h"

struct validator;
struct validator_source;

/* Compiles a package's validator on a judge worker (import_compile_fn; ctx: the judge). */
int api_compile_validator(void *ctx, const struct validator_source *files, size_t count, struct validator *out,
			  char **message);

enum api_import_mode {
	API_IMPORT_TEAMS,   /* an existing username is a conflict */
	API_IMPORT_ROSTER,  /* a roster's row of an existing user (no password) makes it its team's member */
	API_IMPORT_PACKAGE, /* an existing admin or jury account of that type, without team or password, is kept */
};

struct api_import {
	struct db_import imp;
	struct db_account *accounts;
	char **hashes;
	size_t account_count;
	const char **members;   /* roster rows of existing users: each its team's one member */
	json_t *passwords;      /* [{"username", "password"}] of generated passwords */
	json_t *kept;           /* [username] of existing accounts kept as they are */
};

/* Checks the accounts of cf and hashes their passwords (generated when
   none is given). false with an answer when something is wrong. */
bool api_import_prepare(struct http_request *req, struct http_response *res, struct contest_files *cf,
			enum api_import_mode mode, struct api_import *p);
void api_import_release(struct api_import *p);
/* db_contest_import's failure (rc, the name it reports) as an answer. */
void api_import_error(struct http_response *res, const struct contest_files *cf, int rc, const char *missing);
/* false with an answer when cf has no contest or its id is taken. */
bool api_import_check_contest(struct http_request *req, struct http_response *res, const struct contest_files *cf);
/* Creates cf's contest with its problems (by slug, which must exist), then its
   organizations, groups, teams and p's accounts; nothing of it stays on a
   failure. false with an answer. */
bool api_import_contest(struct http_request *req, struct http_response *res, struct contest_files *cf,
			const struct api_import *p, int64_t *id);
/* {"organizations", "groups", "teams", "accounts"}: how many. */
json_t *api_import_counts(const struct contest_files *cf, const struct api_import *p);
/* The answer: body with "passwords" (or CSV username,password when asked). */
void api_import_answer(struct http_request *req, struct http_response *res, int status, json_t *body,
		       const struct api_import *p);
