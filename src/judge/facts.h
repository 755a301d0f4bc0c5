/* A sandbox's protections as judge_report.h's facts: taken from the sandbox
 * (a worker at start, `verdict doctor`), and sent from a worker to the
 * dispatcher in its "ready" event as {"sandbox": {...}}. */
#pragma once
#include <jansson.h>
#include <stdbool.h>

#include "judge_report.h"
#include "sandbox.h"

/* The facts of sandbox info si, made for slot (pid1: whether this process is pid 1). */
void facts_from_sandbox(struct judge_facts *f, const struct sandbox_info *si, int slot);
/* The frame form of f (new reference), and back: false when j is not one. */
json_t *facts_to_frame(const struct judge_facts *f);
bool facts_from_frame(const json_t *j, struct judge_facts *f);
