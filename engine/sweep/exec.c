#define _POSIX_C_SOURCE 200809L
#include "sweep/exec.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/error.h"
#include "sweep/exec_pool.h"

/* Results held at most by default: enough per worker to ride out a slow
 * task without stalling the others. */
enum { WINDOW_PER_WORKER = 64, WINDOW_MIN = 256 };
/* Chunks shrink from this size to 1 as the tasks run out, so that every
 * worker finishes at about the same time. */
enum { CHUNK_MAX = 64, CHUNKS_PER_WORKER = 4 };

static const double PROGRESS_PERIOD = 0.1;

void tc_exec_message(char *dst, size_t size, const char *src)
{
	if (size == 0)
		return;
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memmove(dst, src, n);
	dst[n] = '\0';
}

static void clear_result(tc_pool_result *r)
{
	tc_buf_reset(&r->buf);
	r->buf.failed = 0;
	r->ready = 0;
}

static int window_take(tc_pool *p, uint64_t *a, uint64_t *b)
{
	return tc_pool_take(p, a, b);
}

static tc_pool_result *window_acquire(tc_pool *p, uint64_t t)
{
	return tc_pool_slot(p, t);
}

static void window_deliver(tc_pool *p, tc_pool_result *r, int rc)
{
	if (rc == TC_OK)
		tc_pool_ready(p, r);
	else
		clear_result(r);
}

static const tc_pool_ops window_ops = {window_take, window_acquire, window_deliver};

int tc_pool_init(tc_pool *p, const tc_exec_options *o, const tc_exec_tasks *f, uint64_t workers,
                 const tc_pool_ops *ops, void *link)
{
	assert(o->first <= o->last && o->jobs >= 1 && workers >= o->jobs);
	assert(f->run && f->emit && (!f->worker_new || f->worker_free));
	memset(p, 0, sizeof *p);
	p->f = f;
	p->ops = ops ? ops : &window_ops;
	p->link = link;
	p->alloc = o->alloc ? o->alloc : tc_alloc_default();
	p->jobs = o->jobs;
	p->first = p->next = p->emitted = o->first;
	p->last = o->last;
	p->workers = workers;
	p->failed_task = UINT64_MAX;
	p->progress_at = tc_monotonic_seconds();

	uint64_t window = o->window;
	if (window == 0) {
		window = workers > UINT64_MAX / WINDOW_PER_WORKER ? UINT64_MAX
		                                                  : workers * WINDOW_PER_WORKER;
		if (window < WINDOW_MIN)
			window = WINDOW_MIN;
	}
	/* No more slots than tasks. */
	uint64_t total = o->last - o->first;
	if (window > total)
		window = total ? total : 1;
	if (window > SIZE_MAX / sizeof *p->ring)
		return TC_ENOMEM;
	p->window = (size_t)window;

	p->threads = tc_calloc(p->alloc, p->jobs, sizeof *p->threads);
	if (!p->threads)
		return TC_ENOMEM;
	if (!ops) {
		p->ring = tc_calloc(p->alloc, p->window, sizeof *p->ring);
		if (!p->ring)
			goto fail_ring;
		for (size_t i = 0; i < p->window; i++)
			tc_buf_init(&p->ring[i].buf, p->alloc);
	}
	/* The calling thread's waits are timed on the monotonic clock. */
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr))
		goto fail_attr;
	int bad = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (bad || pthread_cond_init(&p->main, &attr))
		goto fail_main;
	if (pthread_cond_init(&p->work, NULL))
		goto fail_work;
	if (pthread_mutex_init(&p->lock, NULL))
		goto fail_lock;
	pthread_condattr_destroy(&attr);
	return TC_OK;

fail_lock:
	pthread_cond_destroy(&p->work);
fail_work:
	pthread_cond_destroy(&p->main);
fail_main:
	pthread_condattr_destroy(&attr);
fail_attr:
	tc_free(p->alloc, p->ring, p->ring ? p->window * sizeof *p->ring : 0);
fail_ring:
	tc_free(p->alloc, p->threads, p->jobs * sizeof *p->threads);
	return TC_ENOMEM;
}

void tc_pool_release(tc_pool *p)
{
	assert(p->started == 0);
	if (p->ring) {
		for (size_t i = 0; i < p->window; i++)
			tc_buf_release(&p->ring[i].buf);
		tc_free(p->alloc, p->ring, p->window * sizeof *p->ring);
	}
	tc_free(p->alloc, p->threads, p->jobs * sizeof *p->threads);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->main);
}

int tc_pool_take(tc_pool *p, uint64_t *a, uint64_t *b)
{
	uint64_t end = p->last < p->failed_task ? p->last : p->failed_task;
	if (p->next >= end)
		return 0;
	assert(p->next >= p->emitted && p->next - p->emitted <= p->window);
	uint64_t room = p->emitted + p->window - p->next;
	if (room == 0)
		return -1;
	uint64_t n = (end - p->next) / (CHUNKS_PER_WORKER * p->workers);
	n = n > CHUNK_MAX ? CHUNK_MAX : n ? n : 1;
	if (n > room)
		n = room;
	*a = p->next;
	p->next += n;
	*b = p->next;
	return 1;
}

tc_pool_result *tc_pool_slot(tc_pool *p, uint64_t t)
{
	assert(p->ring && t >= p->emitted && t - p->emitted < p->window);
	tc_pool_result *r = &p->ring[(t - p->first) % p->window];
	assert(!r->ready && r->buf.len == 0);
	r->task = t;
	return r;
}

void tc_pool_ready(tc_pool *p, tc_pool_result *r)
{
	assert(!r->ready);
	r->ready = 1;
	if (r->task == p->emitted)
		pthread_cond_signal(&p->main);
}

void tc_pool_abort(tc_pool *p, int rc, const char *text)
{
	assert(rc != TC_OK);
	if (!p->abort_rc) {
		p->abort_rc = rc;
		tc_exec_message(p->abort_msg, sizeof p->abort_msg, text);
	}
	pthread_cond_broadcast(&p->work);
	pthread_cond_signal(&p->main);
}

void tc_pool_failed(tc_pool *p, uint64_t t, int rc, const char *text)
{
	assert(rc != TC_OK);
	/* A task after the first failure: its outcome no longer matters. */
	if (t >= p->failed_task)
		return;
	if (rc == TC_ENOMEM) {
		tc_pool_abort(p, rc, text);
		return;
	}
	p->failed_task = t;
	p->failed_rc = rc;
	tc_exec_message(p->failed_msg, sizeof p->failed_msg, text);
	pthread_cond_signal(&p->main);
}

/* A worker thread: chunk after chunk, task after task. Its state is made
 * before its first task, so a thread that gets none makes none. */
static void *work(void *arg)
{
	tc_pool *p = arg;
	const tc_exec_tasks *f = p->f;
	void *worker = NULL;
	int have_worker = 0;
	/* A task's message, and with "task T: " before it. */
	char msg[TC_EXEC_MSG - 32], text[TC_EXEC_MSG];
	uint64_t a, b;

	pthread_mutex_lock(&p->lock);
	while (!p->stop && !p->abort_rc) {
		int got = p->ops->take(p, &a, &b);
		if (got == 0)
			break;
		if (got < 0) {
			pthread_cond_wait(&p->work, &p->lock);
			continue;
		}
		if (!have_worker && f->worker_new) {
			pthread_mutex_unlock(&p->lock);
			worker = f->worker_new(f->ud);
			pthread_mutex_lock(&p->lock);
			if (!worker) {
				tc_pool_abort(p, TC_ENOMEM, "out of memory (a worker's state)");
				break;
			}
		}
		have_worker = 1;
		for (uint64_t t = a; t < b && !p->stop && !p->abort_rc && t < p->failed_task; t++) {
			tc_pool_result *r = p->ops->acquire(p, t);
			if (!r) {
				tc_pool_abort(p, TC_ENOMEM, "out of memory");
				break;
			}
			pthread_mutex_unlock(&p->lock);
			msg[0] = '\0';
			int rc = f->run(f->ud, worker, t, &r->buf, msg, sizeof msg);
			if (rc == TC_OK && r->buf.failed) {
				rc = TC_ENOMEM;
				tc_exec_message(msg, sizeof msg, "out of memory");
			}
			/* The task names itself best ("replication 12: ..."). */
			if (rc != TC_OK && msg[0])
				snprintf(text, sizeof text, "%s", msg);
			else if (rc != TC_OK)
				snprintf(text, sizeof text, "task %" PRIu64 ": %s", t, tc_strerror(rc));
			pthread_mutex_lock(&p->lock);
			if (rc != TC_OK)
				tc_pool_failed(p, t, rc, text);
			p->ops->deliver(p, r, rc);
		}
	}
	pthread_mutex_unlock(&p->lock);
	if (worker)
		f->worker_free(f->ud, worker);
	return NULL;
}

void tc_pool_start(tc_pool *p)
{
	for (unsigned i = 0; i < p->jobs; i++) {
		if (pthread_create(&p->threads[i], NULL, work, p)) {
			pthread_mutex_lock(&p->lock);
			tc_pool_abort(p, TC_ENOMEM, "out of memory (cannot start a worker thread)");
			pthread_mutex_unlock(&p->lock);
			return;
		}
		p->started++;
	}
}

void tc_pool_finish(tc_pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->threads[i], NULL);
	p->started = 0;
}

int tc_pool_emit(tc_pool *p)
{
	const tc_exec_tasks *f = p->f;
	char msg[TC_EXEC_MSG];
	for (;;) {
		uint64_t end = p->last < p->failed_task ? p->last : p->failed_task;
		if (p->abort_rc || p->emitted >= end)
			return 1;
		/* The ready results from `emitted` on are this thread's until it
		 * frees their slots: emit them without the lock. */
		uint64_t n = 0;
		while (n < p->window && p->emitted + n < end &&
		       p->ring[(p->emitted + n - p->first) % p->window].ready)
			n++;
		if (n == 0)
			return 0;
		pthread_mutex_unlock(&p->lock);
		uint64_t done = 0;
		int rc = TC_OK;
		msg[0] = '\0';
		for (; done < n; done++) {
			uint64_t t = p->emitted + done;
			tc_pool_result *r = &p->ring[(t - p->first) % p->window];
			rc = f->emit(f->ud, t, r->buf.data ? r->buf.data : "", r->buf.len, msg,
			             sizeof msg);
			if (rc != TC_OK)
				break;
		}
		if (f->progress && rc == TC_OK) {
			double now = tc_monotonic_seconds();
			if (now - p->progress_at >= PROGRESS_PERIOD) {
				p->progress_at = now;
				f->progress(f->ud, p->emitted + done - p->first, p->last - p->first);
			}
		}
		pthread_mutex_lock(&p->lock);
		for (uint64_t i = 0; i < done; i++)
			clear_result(&p->ring[(p->emitted + i - p->first) % p->window]);
		p->emitted += done;
		pthread_cond_broadcast(&p->work);
		if (rc != TC_OK) {
			tc_pool_abort(p, rc, msg[0] ? msg : tc_strerror(rc));
			return 1;
		}
	}
}

void tc_pool_wait(tc_pool *p, double seconds)
{
	if (seconds <= 0) {
		pthread_cond_wait(&p->main, &p->lock);
		return;
	}
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	long ns = until.tv_nsec + (long)(seconds * 1e9);
	until.tv_sec += ns / 1000000000L;
	until.tv_nsec = ns % 1000000000L;
	pthread_cond_timedwait(&p->main, &p->lock, &until);
}

int tc_pool_outcome(tc_pool *p, char *err, size_t errlen)
{
	assert(p->started == 0);
	if (p->abort_rc) {
		tc_exec_message(err, errlen, p->abort_msg);
		return p->abort_rc;
	}
	if (p->failed_task != UINT64_MAX) {
		tc_exec_message(err, errlen, p->failed_msg);
		return p->failed_rc;
	}
	assert(p->emitted == p->last);
	tc_exec_message(err, errlen, "");
	if (p->f->progress)
		p->f->progress(p->f->ud, p->last - p->first, p->last - p->first);
	return TC_OK;
}

int tc_exec_threads(const tc_exec_options *o, const tc_exec_tasks *f, char *err, size_t errlen)
{
	tc_pool p;
	if (tc_pool_init(&p, o, f, o->jobs, NULL, NULL)) {
		tc_exec_message(err, errlen, "out of memory");
		return TC_ENOMEM;
	}
	tc_pool_start(&p);
	pthread_mutex_lock(&p.lock);
	while (!tc_pool_emit(&p))
		tc_pool_wait(&p, 0);
	pthread_mutex_unlock(&p.lock);
	tc_pool_finish(&p);
	int rc = tc_pool_outcome(&p, err, errlen);
	tc_pool_release(&p);
	return rc;
}

#ifndef TOCSIN_HAVE_MPI
/* Built without MPI: one process, its threads. */
int tc_exec_mpi_available(void)
{
	return 0;
}

int tc_exec_mpi_start(int *argc, char ***argv, char *err, size_t errlen)
{
	(void)argc;
	(void)argv;
	(void)err;
	(void)errlen;
	return 1;
}

int tc_exec_mpi_rank(void)
{
	return 0;
}

void tc_exec_mpi_stop(void)
{
}

int tc_exec_mpi_agree(int rc)
{
	return rc;
}

int tc_exec_mpi(const tc_exec_options *o, const tc_exec_tasks *f, char *err, size_t errlen)
{
	return tc_exec_threads(o, f, err, errlen);
}
#endif
