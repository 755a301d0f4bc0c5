/* The settings file (/etc/verdict/verdict.conf): the same settings as the
 * flags and VERDICT_* variables, one "name = value" per line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* One line, not blank nor a comment: 0 or an error with *err set. */
static int apply_line(struct config *cfg, char *line, char **err)
{
	char *eq = strchr(line, '=');
	if (!eq) {
		*err = xstrdup("expected 'name = value'");
		return CONFIG_E_INVALID;
	}
	*eq = '\0';
	char *name = trim(line), *value = trim(eq + 1);
	size_t len = strlen(value);
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		value[len - 1] = '\0';
		value++;
	}
	if (strcmp(name, "config") == 0) {
		*err = xstrdup("a settings file cannot name another one");
		return CONFIG_E_INVALID;
	}
	int rc = config_set(cfg, name, value, err);
	if (rc == CONFIG_E_UNKNOWN)
		*err = xasprintf("unknown setting '%s' (the names are the long options, e.g. 'listen')", name);
	return rc;
}

int config_read_file(struct config *cfg, const char *path, bool required, char **err)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		if (!required && errno == ENOENT)
			return 0;
		*err = xasprintf("cannot read the settings file '%s': %s", path, strerror(errno));
		return CONFIG_E_UNKNOWN;
	}
	char *line = NULL;
	size_t cap = 0;
	int rc = 0, number = 0;
	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		number++;
		char *text = trim(line);
		if (!*text || *text == '#')
			continue;
		char *why = NULL;
		if ((rc = apply_line(cfg, text, &why)) != 0) {
			*err = xasprintf("%s:%d: %s", path, number, why);
			free(why);
		}
	}
	if (rc == 0 && ferror(f)) {
		*err = xasprintf("cannot read the settings file '%s': %s", path, strerror(errno));
		rc = CONFIG_E_INVALID;
	}
	free(line);
	fclose(f);
	if (rc == 0) {
		free(cfg->config_file);
		cfg->config_file = xstrdup(path);
	}
	return rc;
}
