#define _POSIX_C_SOURCE 200809L
#include "core/fileio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

int tc_file_read(tc_alloc *a, const char *path, size_t max_bytes, char **data, size_t *len,
                 char *err, size_t errlen)
{
	*data = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(e));
		return e == ENOENT ? TC_ENOENT : TC_EIO;
	}
	size_t cap = 0, n = 0;
	char *buf = NULL;
	int rc = TC_OK;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			size_t want = n + 4096 + 1;
			if (tc_grow(a, (void **)&buf, &cap, want, 1)) {
				snprintf(err, errlen, "out of memory reading '%s'", path);
				rc = TC_ENOMEM;
				break;
			}
		}
		/* Never ask for more than one byte past the limit: a pipe or a
		 * device that never ends is read no further than that. */
		size_t want = cap - n - 1;
		if (want > max_bytes + 1 - n)
			want = max_bytes + 1 - n;
		size_t got = fread(buf + n, 1, want, f);
		n += got;
		if (n > max_bytes) {
			snprintf(err, errlen, "'%s' is larger than the limit of %zu bytes", path, max_bytes);
			rc = TC_ELIMIT;
			break;
		}
		if (got == 0) {
			if (ferror(f)) {
				snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
				rc = TC_EIO;
			}
			break;
		}
	}
	fclose(f);
	if (rc) {
		tc_free(a, buf, cap);
		return rc;
	}
	if (!buf) {
		buf = tc_malloc(a, 1);
		cap = 1;
		if (!buf) {
			snprintf(err, errlen, "out of memory reading '%s'", path);
			return TC_ENOMEM;
		}
	}
	/* Shrink to exactly len + 1 so the caller frees with a known size. */
	char *exact = tc_realloc(a, buf, cap, n + 1);
	if (exact)
		buf = exact;
	else if (cap != n + 1) {
		tc_free(a, buf, cap);
		snprintf(err, errlen, "out of memory reading '%s'", path);
		return TC_ENOMEM;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return TC_OK;
}

int tc_atomic_open(tc_atomic_file *af, const char *path, char *err, size_t errlen)
{
	memset(af, 0, sizeof *af);
	if ((size_t)snprintf(af->path, sizeof af->path, "%s", path) >= sizeof af->path ||
	    (size_t)snprintf(af->tmp, sizeof af->tmp, "%s.tmp-%ld", path, (long)getpid()) >=
	        sizeof af->tmp) {
		snprintf(err, errlen, "path too long: '%s'", path);
		return TC_EINVAL;
	}
	af->f = fopen(af->tmp, "wb");
	if (!af->f) {
		snprintf(err, errlen, "cannot create '%s': %s", af->tmp, strerror(errno));
		return TC_EIO;
	}
	return TC_OK;
}

int tc_atomic_commit(tc_atomic_file *af, char *err, size_t errlen)
{
	int failed = fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0;
	int e = errno;
	failed |= fclose(af->f) != 0;
	af->f = NULL;
	if (failed) {
		snprintf(err, errlen, "cannot write '%s': %s", af->path, strerror(e ? e : errno));
		remove(af->tmp);
		return TC_EIO;
	}
	if (rename(af->tmp, af->path) != 0) {
		snprintf(err, errlen, "cannot rename '%s' to '%s': %s", af->tmp, af->path,
		         strerror(errno));
		remove(af->tmp);
		return TC_EIO;
	}
	return TC_OK;
}

void tc_atomic_abort(tc_atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	af->f = NULL;
	remove(af->tmp);
}
