/*
 * SHA-256 (FIPS 180-4): incremental and one-shot, and a lowercase hex form.
 * Used to fingerprint inputs (scenarios, scripts) so a log names exactly
 * what produced it.
 */
#ifndef TC_SHA256_H
#define TC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define TC_SHA256_SIZE 32
#define TC_SHA256_HEX_SIZE 65  /* 64 hex digits and a NUL */

typedef struct tc_sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;        /* message length so far */
	uint8_t block[64];     /* a partial block waiting for more input */
	size_t fill;
} tc_sha256_ctx;

void tc_sha256_init(tc_sha256_ctx *s);
/* Add n bytes (data may be NULL when n is 0). */
void tc_sha256_update(tc_sha256_ctx *s, const void *data, size_t n);
/* Write the digest; s must be initialised again before reuse. */
void tc_sha256_final(tc_sha256_ctx *s, uint8_t digest[TC_SHA256_SIZE]);

/* The digest of data[0..n) in one call. */
void tc_sha256(const void *data, size_t n, uint8_t digest[TC_SHA256_SIZE]);
/* digest as 64 lowercase hex digits, NUL-terminated. Returns hex. */
char *tc_sha256_hex(const uint8_t digest[TC_SHA256_SIZE], char hex[TC_SHA256_HEX_SIZE]);

#endif
