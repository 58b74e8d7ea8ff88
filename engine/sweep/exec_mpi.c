/*
 * Tasks across MPI ranks (built when CMake finds MPI; MPI standard only).
 *
 * Rank 0 dispatches and emits: its worker threads take chunks straight from
 * its counter, and every other rank asks it for one chunk at a time, keeping
 * one chunk ahead per worker thread (it asks while its threads still work,
 * which hides the round trip). Rank 0 answers a request only when the chunk
 * fits in its reorder window (it defers the answer otherwise), so a result
 * always has a free slot when it arrives and memory stays bounded on every
 * rank. Only the main thread of a rank calls MPI (MPI_THREAD_FUNNELED).
 *
 * Messages (MPI_COMM_WORLD, every number an MPI_UINT64_T):
 *   REQUEST  r -> 0  {0}                 a chunk, please
 *   CHUNK    0 -> r  {a, b}              tasks [a, b); a == b: none will come
 *   RESULT   r -> 0  {t, length}         then the bytes in PIECEs
 *   FAIL     r -> 0  {t, code, abort, n} then the message's n bytes in a PIECE
 *   STOP     0 -> r  {0}                 take no more, answer DONE
 *   DONE     r -> 0  {0}                 r's last message before the broadcast
 * then every rank receives rank 0's outcome (code, message) by MPI_Bcast.
 *
 * Other ranks send with blocking MPI_Send: rank 0's main thread never waits
 * for another rank's main thread except to receive the pieces that rank is
 * sending, so this cannot deadlock; rank 0 answers with MPI_Isend. Results
 * travel in pieces of at most PIECE bytes so that rank 0 can always drop
 * one (after a failure, or when out of memory) into a fixed buffer.
 *
 * Waiting: a main thread that finds nothing to do waits on its pool's
 * condition variable for at most POLL seconds; a worker's result or failure
 * wakes it at once, a message from another rank is seen within POLL. That
 * is about a thousand wake-ups a second on an idle rank, a negligible load,
 * and no busy core.
 */
#define _POSIX_C_SOURCE 200809L
#include "sweep/exec.h"

#include <assert.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sweep/exec_pool.h"

enum { TAG_REQUEST = 1, TAG_CHUNK, TAG_RESULT, TAG_PIECE, TAG_FAIL, TAG_STOP, TAG_DONE };
enum { PIECE = 1 << 16 };
static const double POLL = 0.001;

static int mpi_started, mpi_rank, mpi_size;

/*
 * Environment variables that an MPI launcher sets in the processes it
 * starts. The standard has no portable way to ask whether a process was
 * launched by one, and MPI_Init in a process started by hand would make it
 * a rank of its own (and, with some implementations, spawn helper daemons),
 * so a plain `tocsin run` never starts MPI.
 */
static const char *const launcher_variables[] = {
	"OMPI_COMM_WORLD_SIZE", /* Open MPI's mpirun and mpiexec */
	"PMI_SIZE",             /* PMI: MPICH's Hydra mpiexec, srun --mpi=pmi2 */
	"PMIX_RANK",            /* PMIx: srun --mpi=pmix, Open MPI 5's prterun */
};

int tc_exec_mpi_available(void)
{
	return 1;
}

int tc_exec_mpi_start(int *argc, char ***argv, char *err, size_t errlen)
{
	assert(!mpi_started);
	int launched = 0;
	for (size_t i = 0; i < sizeof launcher_variables / sizeof *launcher_variables; i++)
		launched |= getenv(launcher_variables[i]) != NULL;
	if (!launched)
		return 1;
	int provided = 0;
	if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
		tc_exec_message(err, errlen, "MPI failed to start");
		return TC_EINVAL;
	}
	if (provided < MPI_THREAD_FUNNELED) {
		MPI_Finalize();
		tc_exec_message(err, errlen, "this MPI library does not support threads "
		                          "(MPI_THREAD_FUNNELED)");
		return TC_EINVAL;
	}
	mpi_started = 1;
	MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
	MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
	return mpi_size;
}

int tc_exec_mpi_rank(void)
{
	return mpi_started ? mpi_rank : 0;
}

void tc_exec_mpi_stop(void)
{
	if (mpi_started)
		MPI_Finalize();
	mpi_started = 0;
	mpi_rank = 0;
	mpi_size = 0;
}

int tc_exec_mpi_agree(int rc)
{
	if (!mpi_started || mpi_size < 2)
		return rc;
	int worst = rc;
	MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	return worst;
}

/* Whether every rank set up (collective): the worst code, as every rank's. */
static int agree(int rc)
{
	int worst = rc;
	MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	return worst;
}

/* Every rank returns rank 0's outcome. */
static int share_outcome(int rc, char *msg)
{
	MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
	MPI_Bcast(msg, TC_EXEC_MSG, MPI_CHAR, 0, MPI_COMM_WORLD);
	msg[TC_EXEC_MSG - 1] = '\0';
	return rc;
}

static void send_token(int tag)
{
	uint64_t zero = 0;
	MPI_Send(&zero, 1, MPI_UINT64_T, 0, tag, MPI_COMM_WORLD);
}

static void send_bytes(const char *data, size_t len)
{
	for (size_t off = 0; off < len; off += PIECE) {
		size_t n = len - off < PIECE ? len - off : PIECE;
		MPI_Send(data + off, (int)n, MPI_BYTE, 0, TAG_PIECE, MPI_COMM_WORLD);
	}
}

/* Receive len bytes from src into to, or drop them when to is NULL. */
static void receive_bytes(int src, char *to, size_t len)
{
	static char dropped[PIECE];   /* rank 0's main thread only */
	for (size_t off = 0; off < len; off += PIECE) {
		size_t n = len - off < PIECE ? len - off : PIECE;
		MPI_Recv(to ? to + off : dropped, (int)n, MPI_BYTE, src, TAG_PIECE, MPI_COMM_WORLD,
		         MPI_STATUS_IGNORE);
	}
}

/* ---- rank 0 ---------------------------------------------------------------- */

typedef struct dispatcher {
	tc_pool *pool;
	int size;
	int *asking;             /* ranks whose request waits, oldest first (a ring) */
	int asking_head, asking_count;
	uint64_t (*reply)[2];    /* per rank: the chunk in flight */
	MPI_Request *reply_req;
	MPI_Request *stop_req;
	int done;                /* ranks that sent DONE */
} dispatcher;

static int dispatcher_init(dispatcher *d, tc_pool *pool, int size)
{
	tc_alloc *a = pool->alloc;
	memset(d, 0, sizeof *d);
	d->pool = pool;
	d->size = size;
	d->asking = tc_calloc(a, (size_t)size, sizeof *d->asking);
	d->reply = tc_calloc(a, (size_t)size, sizeof *d->reply);
	d->reply_req = tc_calloc(a, (size_t)size, sizeof *d->reply_req);
	d->stop_req = tc_calloc(a, (size_t)size, sizeof *d->stop_req);
	if (!d->asking || !d->reply || !d->reply_req || !d->stop_req)
		return TC_ENOMEM;
	for (int r = 0; r < size; r++)
		d->reply_req[r] = d->stop_req[r] = MPI_REQUEST_NULL;
	return TC_OK;
}

static void dispatcher_release(dispatcher *d)
{
	tc_alloc *a = d->pool->alloc;
	size_t n = (size_t)d->size;
	tc_free(a, d->asking, d->asking ? n * sizeof *d->asking : 0);
	tc_free(a, d->reply, d->reply ? n * sizeof *d->reply : 0);
	tc_free(a, d->reply_req, d->reply_req ? n * sizeof *d->reply_req : 0);
	tc_free(a, d->stop_req, d->stop_req ? n * sizeof *d->stop_req : 0);
}

static void receive_result(dispatcher *d, int src)
{
	tc_pool *p = d->pool;
	uint64_t head[2];
	MPI_Recv(head, 2, MPI_UINT64_T, src, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	uint64_t t = head[0], len = head[1];
	/* The slot is free: t was handed out inside the window. */
	pthread_mutex_lock(&p->lock);
	int keep = !p->stop && !p->abort_rc && t < p->failed_task;
	tc_pool_result *r = keep ? tc_pool_slot(p, t) : NULL;
	pthread_mutex_unlock(&p->lock);
	if (r && (len >= SIZE_MAX || tc_buf_reserve(&r->buf, (size_t)len))) {
		pthread_mutex_lock(&p->lock);
		tc_pool_abort(p, TC_ENOMEM, "out of memory");
		pthread_mutex_unlock(&p->lock);
		r = NULL;
	}
	receive_bytes(src, r ? r->buf.data : NULL, (size_t)len);
	if (r) {
		r->buf.len = (size_t)len;
		r->buf.data[len] = '\0';
		pthread_mutex_lock(&p->lock);
		tc_pool_ready(p, r);
		pthread_mutex_unlock(&p->lock);
	}
}

static void receive_failure(dispatcher *d, int src)
{
	uint64_t head[4];
	char text[TC_EXEC_MSG];
	MPI_Recv(head, 4, MPI_UINT64_T, src, TAG_FAIL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	assert(head[3] < sizeof text);
	receive_bytes(src, text, (size_t)head[3]);
	text[head[3]] = '\0';
	int rc = (int)(int64_t)head[1];
	pthread_mutex_lock(&d->pool->lock);
	if (!d->pool->stop) {
		if (head[2])
			tc_pool_abort(d->pool, rc, text);
		else
			tc_pool_failed(d->pool, head[0], rc, text);
	}
	pthread_mutex_unlock(&d->pool->lock);
}

/* Receive what the other ranks sent; 1 when there was something. Requests
 * are queued while running, ignored once stopping (STOP answers them). */
static int poll_ranks(dispatcher *d)
{
	int any = 0, flag;
	MPI_Status st;
	while (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), flag) {
		any = 1;
		int src = st.MPI_SOURCE;
		uint64_t token;
		switch (st.MPI_TAG) {
		case TAG_REQUEST:
			MPI_Recv(&token, 1, MPI_UINT64_T, src, TAG_REQUEST, MPI_COMM_WORLD,
			         MPI_STATUS_IGNORE);
			if (!d->pool->stop) {
				assert(d->asking_count < d->size);
				d->asking[(d->asking_head + d->asking_count++) % d->size] = src;
			}
			break;
		case TAG_RESULT:
			receive_result(d, src);
			break;
		case TAG_FAIL:
			receive_failure(d, src);
			break;
		case TAG_DONE:
			MPI_Recv(&token, 1, MPI_UINT64_T, src, TAG_DONE, MPI_COMM_WORLD,
			         MPI_STATUS_IGNORE);
			d->done++;
			break;
		default:
			assert(!"unexpected MPI message");
			MPI_Abort(MPI_COMM_WORLD, 1);
		}
	}
	return any;
}

/* Answer the waiting requests while chunks fit in the window; 1 when one
 * was answered. */
static int answer_requests(dispatcher *d)
{
	tc_pool *p = d->pool;
	int any = 0;
	while (d->asking_count > 0) {
		int r = d->asking[d->asking_head];
		uint64_t a, b;
		pthread_mutex_lock(&p->lock);
		int got = p->stop ? 0 : tc_pool_take(p, &a, &b);
		pthread_mutex_unlock(&p->lock);
		if (got < 0)
			break;
		if (got == 0)
			a = b = p->last;
		/* r received the previous answer before asking again. */
		MPI_Wait(&d->reply_req[r], MPI_STATUS_IGNORE);
		d->reply[r][0] = a;
		d->reply[r][1] = b;
		MPI_Isend(d->reply[r], 2, MPI_UINT64_T, r, TAG_CHUNK, MPI_COMM_WORLD, &d->reply_req[r]);
		d->asking_head = (d->asking_head + 1) % d->size;
		d->asking_count--;
		any = 1;
	}
	return any;
}

static int dispatch(const tc_exec_options *o, const tc_exec_tasks *f, char *err, size_t errlen)
{
	tc_pool p;
	dispatcher d;
	char msg[TC_EXEC_MSG] = {0};   /* broadcast whole */
	int pool_rc = tc_pool_init(&p, o, f, (uint64_t)o->jobs * (uint64_t)mpi_size, NULL, NULL);
	int rc = pool_rc ? pool_rc : dispatcher_init(&d, &p, mpi_size);
	/* Setting up can only run out of memory, on any rank. */
	if ((rc = agree(rc)) != TC_OK) {
		if (pool_rc == TC_OK) {
			dispatcher_release(&d);
			tc_pool_release(&p);
		}
		tc_exec_message(err, errlen, "out of memory");
		return rc;
	}

	tc_pool_start(&p);
	pthread_mutex_lock(&p.lock);
	int busy = 1;
	for (;;) {
		uint64_t emitted = p.emitted;
		if (tc_pool_emit(&p))
			break;
		if (!busy && p.emitted == emitted)
			tc_pool_wait(&p, POLL);
		pthread_mutex_unlock(&p.lock);
		busy = poll_ranks(&d);
		busy |= answer_requests(&d);
		pthread_mutex_lock(&p.lock);
	}
	/* Over: every other rank stops and says so; what it still sends is
	 * dropped. */
	p.stop = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.lock);
	uint64_t zero = 0;
	for (int r = 1; r < mpi_size; r++)
		MPI_Isend(&zero, 1, MPI_UINT64_T, r, TAG_STOP, MPI_COMM_WORLD, &d.stop_req[r]);
	while (d.done < mpi_size - 1) {
		if (!poll_ranks(&d)) {
			pthread_mutex_lock(&p.lock);
			tc_pool_wait(&p, POLL);
			pthread_mutex_unlock(&p.lock);
		}
	}
	MPI_Waitall(mpi_size, d.reply_req, MPI_STATUSES_IGNORE);
	MPI_Waitall(mpi_size, d.stop_req, MPI_STATUSES_IGNORE);
	tc_pool_finish(&p);
	rc = tc_pool_outcome(&p, msg, sizeof msg);
	rc = share_outcome(rc, msg);
	tc_exec_message(err, errlen, msg);
	dispatcher_release(&d);
	tc_pool_release(&p);
	return rc;
}

/* ---- the other ranks ------------------------------------------------------- */

/* A rank's link to rank 0: the chunks received and not yet taken (a ring of
 * one per worker thread), the results to send, the result buffers free. */
typedef struct rank_link {
	uint64_t (*chunks)[2];
	unsigned head, count, cap;
	int closed;              /* rank 0 has no more chunks */
	tc_pool_result *outbox, **outbox_end;
	tc_pool_result *free;
} rank_link;

static int link_take(tc_pool *p, uint64_t *a, uint64_t *b)
{
	rank_link *l = p->link;
	if (l->count == 0)
		return l->closed ? 0 : -1;
	*a = l->chunks[l->head][0];
	*b = l->chunks[l->head][1];
	l->head = (l->head + 1) % l->cap;
	l->count--;
	pthread_cond_signal(&p->main);   /* time to ask for another */
	return 1;
}

static tc_pool_result *link_acquire(tc_pool *p, uint64_t t)
{
	rank_link *l = p->link;
	tc_pool_result *r = l->free;
	if (r) {
		l->free = r->next;
	} else {
		r = tc_calloc(p->alloc, 1, sizeof *r);
		if (!r)
			return NULL;
		tc_buf_init(&r->buf, p->alloc);
	}
	r->next = NULL;
	r->task = t;
	return r;
}

static void link_deliver(tc_pool *p, tc_pool_result *r, int rc)
{
	rank_link *l = p->link;
	if (rc == TC_OK && !p->stop) {
		*l->outbox_end = r;
		l->outbox_end = &r->next;
	} else {
		tc_buf_reset(&r->buf);
		r->buf.failed = 0;
		r->next = l->free;
		l->free = r;
	}
	pthread_cond_signal(&p->main);
}

static const tc_pool_ops link_ops = {link_take, link_acquire, link_deliver};

static void link_release(rank_link *l, tc_alloc *a)
{
	tc_free(a, l->chunks, l->chunks ? l->cap * sizeof *l->chunks : 0);
	while (l->free) {
		tc_pool_result *r = l->free;
		l->free = r->next;
		tc_buf_release(&r->buf);
		tc_free(a, r, sizeof *r);
	}
}

static void send_failure(uint64_t t, int rc, int stops, const char *text)
{
	size_t n = strlen(text);
	uint64_t head[4] = {t, (uint64_t)(int64_t)rc, (uint64_t)stops, n};
	MPI_Send(head, 4, MPI_UINT64_T, 0, TAG_FAIL, MPI_COMM_WORLD);
	send_bytes(text, n);
}

/* Send what the pool has for rank 0 (lock held, released while sending);
 * 1 when there was something. */
static int report(tc_pool *p, rank_link *l, uint64_t *reported_task, int *reported_abort)
{
	char text[TC_EXEC_MSG];
	int any = 0;
	if (p->abort_rc && !*reported_abort) {
		int rc = p->abort_rc;
		tc_exec_message(text, sizeof text, p->abort_msg);
		*reported_abort = 1;
		pthread_mutex_unlock(&p->lock);
		send_failure(0, rc, 1, text);
		pthread_mutex_lock(&p->lock);
		any = 1;
	}
	if (p->failed_task < *reported_task) {
		uint64_t t = p->failed_task;
		int rc = p->failed_rc;
		tc_exec_message(text, sizeof text, p->failed_msg);
		*reported_task = t;
		pthread_mutex_unlock(&p->lock);
		send_failure(t, rc, 0, text);
		pthread_mutex_lock(&p->lock);
		any = 1;
	}
	if (l->outbox) {
		tc_pool_result *list = l->outbox;
		l->outbox = NULL;
		l->outbox_end = &l->outbox;
		pthread_mutex_unlock(&p->lock);
		tc_pool_result *last = NULL;
		for (tc_pool_result *r = list; r; r = r->next) {
			uint64_t head[2] = {r->task, r->buf.len};
			MPI_Send(head, 2, MPI_UINT64_T, 0, TAG_RESULT, MPI_COMM_WORLD);
			send_bytes(r->buf.data, r->buf.len);
			tc_buf_reset(&r->buf);
			last = r;
		}
		pthread_mutex_lock(&p->lock);
		last->next = l->free;
		l->free = list;
		any = 1;
	}
	return any;
}

static int compute(const tc_exec_options *o, const tc_exec_tasks *f, char *err, size_t errlen)
{
	tc_pool p;
	rank_link l = {0};
	char msg[TC_EXEC_MSG];
	l.outbox_end = &l.outbox;
	l.cap = o->jobs;
	msg[0] = '\0';
	int pool_rc = tc_pool_init(&p, o, f, (uint64_t)o->jobs * (uint64_t)mpi_size, &link_ops, &l);
	int rc = pool_rc;
	if (rc == TC_OK && !(l.chunks = tc_calloc(p.alloc, l.cap, sizeof *l.chunks)))
		rc = TC_ENOMEM;
	if ((rc = agree(rc)) != TC_OK) {
		if (pool_rc == TC_OK) {
			link_release(&l, p.alloc);
			tc_pool_release(&p);
		}
		tc_exec_message(err, errlen, "out of memory");
		return rc;
	}

	tc_pool_start(&p);
	uint64_t reported_task = UINT64_MAX;
	int reported_abort = 0, asked = 0, stopping = 0, busy = 1;
	pthread_mutex_lock(&p.lock);
	while (!stopping) {
		busy |= report(&p, &l, &reported_task, &reported_abort);
		int ask = !asked && !l.closed && !p.abort_rc && l.count < l.cap;
		if (!busy && !ask)
			tc_pool_wait(&p, POLL);
		pthread_mutex_unlock(&p.lock);
		busy = 0;
		if (ask) {
			send_token(TAG_REQUEST);
			asked = 1;
		}
		int flag;
		MPI_Status st;
		while (!stopping && (MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), flag)) {
			uint64_t chunk[2];
			busy = 1;
			if (st.MPI_TAG == TAG_STOP) {
				MPI_Recv(chunk, 1, MPI_UINT64_T, 0, TAG_STOP, MPI_COMM_WORLD,
				         MPI_STATUS_IGNORE);
				stopping = 1;
				break;
			}
			assert(st.MPI_TAG == TAG_CHUNK);
			MPI_Recv(chunk, 2, MPI_UINT64_T, 0, TAG_CHUNK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			asked = 0;
			pthread_mutex_lock(&p.lock);
			if (chunk[0] == chunk[1]) {
				l.closed = 1;
			} else {
				assert(l.count < l.cap);
				unsigned at = (l.head + l.count++) % l.cap;
				l.chunks[at][0] = chunk[0];
				l.chunks[at][1] = chunk[1];
			}
			pthread_cond_broadcast(&p.work);
			pthread_mutex_unlock(&p.lock);
		}
		pthread_mutex_lock(&p.lock);
	}
	pthread_mutex_unlock(&p.lock);
	tc_pool_finish(&p);
	send_token(TAG_DONE);
	rc = share_outcome(TC_OK, msg);
	tc_exec_message(err, errlen, msg);
	/* Results made after STOP went back to the free list. */
	while (l.outbox) {
		tc_pool_result *r = l.outbox;
		l.outbox = r->next;
		r->next = l.free;
		l.free = r;
	}
	link_release(&l, p.alloc);
	tc_pool_release(&p);
	return rc;
}

int tc_exec_mpi(const tc_exec_options *o, const tc_exec_tasks *f, char *err, size_t errlen)
{
	if (!mpi_started || mpi_size == 1)
		return tc_exec_threads(o, f, err, errlen);
	return mpi_rank == 0 ? dispatch(o, f, err, errlen) : compute(o, f, err, errlen);
}
