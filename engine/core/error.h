/* Error codes shared by every layer: negative ints, 0 is success. */
#ifndef TC_ERROR_H
#define TC_ERROR_H

enum {
	TC_OK = 0,
	TC_ENOMEM = -1,  /* an allocation failed or a memory budget is spent */
	TC_EINVAL = -2,  /* malformed input; details are in a tc_diag list */
	TC_EIO = -3,     /* reading or writing a file failed */
	TC_ELIMIT = -4,  /* an input exceeds a documented limit */
	TC_ENOENT = -5,  /* a named thing (file, zone, id) does not exist */
	TC_ERANGE = -6,  /* a value is outside its allowed range */
	TC_ESCRIPT = -7, /* a scenario script failed */
};

/* A static, human-readable description of an error code. */
const char *tc_strerror(int code);

#endif
