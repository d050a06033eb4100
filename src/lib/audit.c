/*
 * audit.c - the audit trail (reference §6.7): one JSON line per updated ref,
 * appended to $GIT_DIR/docctl-audit.log by post-receive. The server's clock
 * is the time of record, never a date from a commit. Each line is written
 * with a single write(2) on a file opened O_APPEND, so lines of concurrent
 * pushes never interleave, and fsync'd before the hook returns. Strings go
 * through json.h, so a ref or a name that is not UTF-8 never breaks a line.
 */
#include "i18n.h"
#include "receive.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "json.h"

int dc_audit_path(dc_buf *out, const char *git_dir)
{
	size_t n = strlen(git_dir);

	return dc_buf_printf(out, "%s%sdocctl-audit.log", git_dir, n && git_dir[n - 1] == '/' ? "" : "/");
}

static void json_oid(dc_buf *b, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (!id) {
		dc_buf_puts(b, "null");
		return;
	}
	git_oid_tostr(hex, sizeof(hex), id);
	dc_json_cstr(b, hex);
}

int dc_audit_record(dc_buf *out, const char *ref, const git_oid *old, const git_oid *new_oid,
		    const dc_receive_result *res)
{
	static const git_oid zero;
	size_t i;

	dc_buf_clear(out);
	dc_buf_puts(out, "\"pusher\": ");
	dc_json_cstr(out, res->pusher);
	dc_buf_puts(out, ", \"ref\": ");
	dc_json_cstr(out, ref);
	dc_buf_puts(out, ", \"old\": ");
	json_oid(out, old ? old : &zero);
	dc_buf_puts(out, ", \"new\": ");
	json_oid(out, new_oid ? new_oid : &zero);
	dc_buf_puts(out, ", \"approvals\": [");
	for (i = 0; i < res->napprovals; i++) {
		const dc_approval *a = &res->approvals[i];

		dc_buf_puts(out, i ? ", {\"id\": " : "{\"id\": ");
		dc_json_cstr(out, a->id);
		dc_buf_puts(out, ", \"revision\": ");
		dc_json_cstr(out, a->revision);
		dc_buf_puts(out, ", \"person\": ");
		dc_json_cstr(out, a->person);
		dc_buf_puts(out, ", \"name\": ");
		dc_json_cstr(out, a->name);
		dc_buf_puts(out, ", \"meaning\": ");
		dc_json_cstr(out, a->meaning);
		dc_buf_puts(out, ", \"commit\": ");
		json_oid(out, a->has_commit ? &a->commit : NULL);
		dc_buf_puts(out, ", \"method\": ");
		dc_json_cstr(out, a->method);
		dc_buf_putc(out, '}');
	}
	return dc_buf_puts(out, "]");
}

int dc_audit_append_record(const char *path, time_t now, const char *record)
{
	dc_buf line = DC_BUF_INIT;
	char when[32];
	struct tm tm;
	ssize_t n;
	int fd, rc = 0;

	if (!gmtime_r(&now, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return dc_error_set(_("cannot format the server's time"));
	dc_buf_puts(&line, "{\"time\": ");
	dc_json_cstr(&line, when);
	dc_buf_puts(&line, ", ");
	dc_buf_puts(&line, record);
	if (dc_buf_puts(&line, "}\n") < 0) {
		dc_buf_dispose(&line);
		return -1;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = dc_error_set(_("cannot open '%s': %s"), path, strerror(errno));
		goto cleanup;
	}
	n = write(fd, line.ptr, line.len);
	if (n < 0 || (size_t)n != line.len)
		rc = dc_error_set(_("cannot append to '%s': %s"), path, n < 0 ? strerror(errno) : "short write");
	else if (fsync(fd) < 0)
		rc = dc_error_set(_("cannot sync '%s': %s"), path, strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = dc_error_set(_("cannot close '%s': %s"), path, strerror(errno));
cleanup:
	dc_buf_dispose(&line);
	return rc;
}

int dc_audit_append(const char *path, time_t now, const char *ref, const git_oid *old,
		    const git_oid *new_oid, const dc_receive_result *res)
{
	dc_buf record = DC_BUF_INIT;
	int rc = dc_audit_record(&record, ref, old, new_oid, res) < 0 ? -1
		 : dc_audit_append_record(path, now, record.ptr);

	dc_buf_dispose(&record);
	return rc;
}
