/*
 * training.h - the training matrix (reference §10, §10.2): for every
 * document of a branch, the revision in force, who must read it (the
 * document's `readers`, else its type's), by when (its effective date plus
 * training.due), and who confirmed it, read from the confirmations' ref
 * (ack.h).
 *
 * A revision with `retraining: false` lets the confirmations of the
 * revision before it count for it too, and so on back while each says so.
 * A confirmation counts when its person is a reader of the document and
 * its revision is the one in force or one that carries over to it; the
 * first such line of a person's file is the one shown. The confirmations
 * are read in one pass over the files of acks/, each line once; the cost
 * grows with the confirmations and the documents, never with their
 * product.
 */
#ifndef DC_TRAINING_H
#define DC_TRAINING_H

#include <git2.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "policy.h"
#include "register.h"
#include "strmap.h"

#define DC_ACK_NONE INT32_MIN

/* What one reader did about one document. */
typedef struct {
	int32_t day;        /* the confirmation's date, days since 1970-01-01; DC_ACK_NONE: not confirmed */
	uint32_t method;    /* index in dc_training.methods ("read", "training:RC-0001") */
	uint32_t by;        /* who recorded it: index in the policy's people, UINT32_MAX unknown */
	const char *revision; /* the revision confirmed (one of the doc's accepted) */
} dc_ack_cell;

typedef struct {
	const dc_register_row *row;
	const char *id, *title;
	const char *revision;       /* in force; NULL: nothing in force, nobody is asked */
	dc_date effective;          /* when it took effect */
	dc_date due;                /* effective + training.due */
	const char *pending;        /* a revision approved but not in force yet, or NULL */
	const char **accepted;      /* revision, then those whose confirmations carry over */
	size_t naccepted;
	int own_readers;            /* readers from the document, not from its type */
	uint32_t *people;           /* the readers: indexes in the policy's people, ascending */
	size_t npeople;
	dc_ack_cell *cells;         /* one per people[k] */
	size_t nconfirmed;
	size_t cursor;              /* where the last reader was found (reading the files) */
} dc_train_doc;

typedef struct dc_training {
	dc_arena arena;
	const dc_policy *policy;
	dc_train_doc *docs;         /* in the register's order */
	size_t ndocs;
	dc_strmap by_id;            /* id -> index in docs */
	dc_strmap by_person;        /* person id -> index in the policy's people */
	const char **methods;       /* methods[0] is "read" */
	size_t nmethods, capmethods;
	dc_strmap method_index;
	size_t nlines;              /* confirmation lines read */
	size_t nignored;            /* lines that did not count (not a reader, another revision, unknown) */
	size_t nbroken;             /* lines that did not parse (the server refuses them) */
} dc_training;

void dc_training_init(dc_training *t);
void dc_training_dispose(dc_training *t);

/*
 * The documents of a register (built with history where pending, see
 * register.h) and their readers. `repo` and `tip` are the branch the
 * register was read from, with the project at `prefix`. Returns 0, or -1.
 */
int dc_training_build(dc_training *t, const dc_policy *policy, const dc_register *reg, git_repository *repo,
		      const git_oid *tip, const char *prefix);

/* Reads the confirmations of commit `acks` (NULL: none yet). 0, or -1. */
int dc_training_read_acks(dc_training *t, git_repository *repo, const git_oid *acks);

/* The commit of the confirmations' ref in `repo` (training.ref, else the
 * same name under refs/remotes/origin/): 1 with *out, 0 when none, -1. */
int dc_training_ack_tip(git_oid *out, git_repository *repo, const dc_policy *policy);

/* dc_training_build, then every confirmation of the confirmations' ref
 * (dc_training_ack_tip; none yet: nobody confirmed): the whole matrix
 * (`docctl training`, publish, docctl-web's matrix page). 0, or -1. */
int dc_training_load(dc_training *t, const dc_policy *policy, const dc_register *reg, git_repository *repo,
		     const git_oid *tip, const char *prefix);

/* The document `id`, or NULL. */
const dc_train_doc *dc_training_doc(const dc_training *t, const char *id);

/* Index of `person` in the doc's readers, or SIZE_MAX when not a reader. */
size_t dc_train_doc_reader(const dc_train_doc *d, uint32_t person);

typedef enum { DC_TRAIN_CONFIRMED, DC_TRAIN_PENDING, DC_TRAIN_OVERDUE } dc_train_state;

/* The state of reader k of `d` on day `today` (dc_date_days); for a
 * pending one, *days_left until the due date (0: due today). */
dc_train_state dc_train_state_of(const dc_train_doc *d, size_t k, long today, long *days_left);
/* "confirmed", "pending", "overdue" (machine names, never translated). */
const char *dc_train_state_name(dc_train_state s);
/* Writes the date of a day number as YYYY-MM-DD and a NUL. */
void dc_train_day_format(long day, char out[11]);

/* The training matrix as one HTML page (reference §10.2: `training --format
 * html` and publish's training.html), every cell escaped. `only_overdue`
 * keeps the overdue rows. Returns 0, or -1. */
int dc_training_html(dc_buf *out, const dc_training *t, const dc_date *today, const char *refname,
		     const git_oid *commit, int only_overdue);
/* The same without the page around it: the two tables (publish's page). */
int dc_training_html_body(dc_buf *out, const dc_training *t, const dc_date *today, int only_overdue);

/* Every confirmation of document `id` on commit `acks` (history --acks),
 * whatever its revision, sorted by revision, date and person. */
typedef struct {
	char *person, *revision, *date, *method, *recorded_by;
} dc_ack_row;

typedef struct {
	dc_ack_row *v;
	size_t n, cap;
} dc_ack_rows;

int dc_acks_of_document(dc_ack_rows *out, git_repository *repo, const git_oid *acks, const char *id);
void dc_ack_rows_dispose(dc_ack_rows *r);

#endif
