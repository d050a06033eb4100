/*
 * rules.c - the rows of the rule table (reference §5); `fatal` rules make a
 * command exit 2.
 */
#include "rules.h"

#include <string.h>

#include "text.h"

#define E DC_SEV_ERROR
#define W DC_SEV_WARNING

const dc_rule dc_rules[] = {
	{ "file.too-large", E, 0, "a controlled file is larger than 4 MiB" },
	{ "file.binary", E, 0, "a controlled file contains a NUL byte" },
	{ "file.symlink", E, 0, "a controlled file, or anything under the roots, is a symbolic link" },
	{ "file.submodule", E, 0, "a gitlink (submodule entry) stands under the roots" },
	{ "path.collision", E, 0, "two paths under the roots differ only in letter case or Unicode normalisation" },
	{ "attributes.transform", E, 0, "a .gitattributes transforms files under the roots on checkout" },
	{ "encoding.utf8", E, 0, "a controlled file is not valid UTF-8" },
	{ "encoding.bom", W, 0, "a controlled file starts with a UTF-8 byte-order mark" },
	{ "frontmatter.missing", E, 0, "the file does not start with a '---' front-matter line" },
	{ "frontmatter.unterminated", E, 0, "the front-matter has no closing '---' or '...' line" },
	{ "frontmatter.too-large", E, 0, "the front-matter is larger than 64 KiB" },
	{ "yaml.syntax", E, 0, "the front-matter is not valid YAML" },
	{ "yaml.duplicate-key", E, 0, "a mapping holds the same key twice" },
	{ "yaml.alias", E, 0, "the front-matter uses an anchor or an alias" },
	{ "yaml.tag", E, 0, "the front-matter uses a tag that is not a YAML core tag" },
	{ "yaml.too-deep", E, 0, "the front-matter nests deeper than 16 levels" },
	{ "schema.type", E, 0, "a value has the wrong type" },
	{ "schema.required", E, 0, "a required field is missing" },
	{ "schema.additionalProperties", E, 0, "a field is not allowed by the schema" },
	{ "schema.enum", E, 0, "a value is not one of the allowed values" },
	{ "schema.const", E, 0, "a value is not the required constant" },
	{ "schema.pattern", E, 0, "a string does not match the required pattern" },
	{ "schema.minLength", E, 0, "a string is too short" },
	{ "schema.maxLength", E, 0, "a string is too long" },
	{ "schema.minimum", E, 0, "a number is too small" },
	{ "schema.maximum", E, 0, "a number is too large" },
	{ "schema.minItems", E, 0, "a list has too few items" },
	{ "schema.maxItems", E, 0, "a list has too many items" },
	{ "schema.uniqueItems", E, 0, "a list holds the same item twice" },
	{ "schema.format", E, 0, "a string is not a valid date or duration" },
	{ "schema.anyOf", E, 0, "a value matches none of the alternatives" },
	{ "schema.oneOf", E, 0, "a value does not match exactly one alternative" },
	{ "schema.not", E, 0, "a value matches a schema it must not match" },
	{ "schema.exclusiveMinimum", E, 0, "a number is not above the exclusive minimum" },
	{ "schema.exclusiveMaximum", E, 0, "a number is not below the exclusive maximum" },
	{ "schema.multipleOf", E, 0, "a number is not a multiple of the given number" },
	{ "schema.minProperties", E, 0, "an object has too few fields" },
	{ "schema.maxProperties", E, 0, "an object has too many fields" },
	{ "schema.patternProperties", E, 0, "a field whose name matches a pattern the schema forbids" },
	{ "schema.propertyNames", E, 0, "a field name the schema does not allow" },
	{ "schema.dependentRequired", E, 0, "a field required by another field is missing" },
	{ "schema.contains", E, 0, "a list has no item that matches" },
	{ "schema.minContains", E, 0, "a list has too few matching items" },
	{ "schema.maxContains", E, 0, "a list has too many matching items" },
	{ "schema.unevaluatedProperties", E, 0, "a field no part of the schema declares" },
	{ "schema.unevaluatedItems", E, 0, "a list item no part of the schema covers" },
	{ "id.pattern", E, 0, "the id does not match its type's id pattern" },
	{ "id.duplicate", E, 0, "two documents hold the same id" },
	{ "id.filename", E, 0, "the file name is not ID.md or ID-anything.md" },
	{ "id.changed", E, 0, "the id of an approved document changed" },
	{ "type.unknown", E, 0, "the type is not one of the policy's types" },
	{ "person.unknown", E, 0, "a person field names no person of the policy" },
	{ "date.order", E, 0, "effective is before approved_on" },
	{ "body.missing", E, 0, "the body is empty" },
	{ "ref.unresolved", E, 0, "a reference names an id that does not exist" },
	{ "ref.obsolete", E, 0, "an approved document refers to an obsolete one" },
	{ "ref.not-approved", E, 0, "superseded_by names a document that is not approved" },
	{ "link.broken", E, 0, "a relative link points at nothing in the repository" },
	{ "link.scheme", W, 0, "a link or image uses a scheme other than http, https or mailto" },
	{ "text.control", E, 0, "a front-matter value or the text holds a control character or a bidi override" },
	{ "section.missing", E, 0, "a required section is missing" },
	{ "section.order", E, 0, "a required section is out of order" },
	{ "section.empty", W, 0, "a required section has no text" },
	{ "language.ambiguous", W, 0, "the text uses an ambiguous term" },
	{ "size.too-long", W, 0, "the document has more words than its type allows" },
	{ "review.overdue", W, 0, "the periodic review is overdue" },
	{ "status.transition", E, 0, "an obsolete document changed" },
	{ "status.not-approved", E, 0, "a protected branch holds a document that is not approved" },
	{ "revision.not-bumped", E, 0, "the content changed but the revision did not" },
	{ "revision.regressed", E, 0, "the revision went down" },
	{ "revision.invalid", E, 0, "the revision is not valid in the policy's scheme" },
	{ "change.missing", E, 0, "a later revision does not say what changed" },
	{ "approval.missing", E, 0, "an approved document lacks an approval field" },
	{ "approval.unauthorized", E, 0, "the person vouching holds no approver role of the type" },
	{ "approval.self", E, 0, "the person vouching also changed the content" },
	{ "approval.unsigned", E, 0, "the approval is not authenticated by a signature or the pusher" },
	{ "approval.bad-signature", E, 0, "the approval's signature does not verify" },
	{ "approval.stale", E, 0, "a new revision carries the previous revision's approval unchanged" },
	{ "record.immutable", E, 0, "an approved record changed" },
	{ "record.retention", E, 0, "a record was deleted before its retention passed" },
	{ "doc.deleted", E, 0, "a controlled document was deleted" },
	{ "ref.delete", E, 0, "a protected ref was deleted" },
	{ "ref.non-fast-forward", E, 0, "a protected ref was rewound or rewritten" },
	{ "ref.replace", E, 0, "a replace ref (refs/replace/) was pushed" },
	{ "policy.unapproved-change", E, 0, "the policy changed without a signature of a policy approver" },
	{ "policy.unprotected-branch", W, 0, "the repository is on a branch that `protected` does not cover" },
	{ "feedback.format", E, 0, "a feedback item is not of the form reference §11 gives" },
	{ "feedback.rewrite", E, 0, "the feedback ref was deleted, rewound, rewritten or merged" },
	{ "feedback.immutable", E, 0, "a feedback item was deleted, or a field other than the decision changed" },
	{ "feedback.not-self", E, 0, "a new feedback item is not vouched for by the person it names in from" },
	{ "feedback.id", E, 0, "a new feedback item's id is not the next free one of its year" },
	{ "feedback.document", E, 0, "a new feedback item names a document the protected branch does not hold" },
	{ "feedback.unauthorized", E, 0, "a feedback decision by someone who is neither the document's owner nor an approver of its type" },
	{ "feedback.transition", E, 0, "a feedback item moved against the arrows" },
	{ "feedback.unresolved", E, 0, "a feedback item marked implemented that no approved revision resolves" },
	{ "policy.invalid", E, 1, "docctl.yaml is not a valid policy" },
	{ "schema.invalid", E, 1, "a front-matter schema is not valid" },
	{ "internal.error", E, 1, "docctl could not decide" },
};

const size_t dc_rules_count = sizeof(dc_rules) / sizeof(dc_rules[0]);

const dc_rule *dc_rule_find(const char *name)
{
	size_t i;

	for (i = 0; i < dc_rules_count; i++)
		if (!strcmp(dc_rules[i].name, name))
			return &dc_rules[i];
	return NULL;
}

/* Raise when a check's findings or messages change without a change to the
 * table above: saved results of the older checks are then not used. */
#define DC_CHECKS_GENERATION 2

unsigned long long dc_rules_fingerprint(void)
{
	unsigned long long h = DC_HASH_INIT;
	unsigned gen = DC_CHECKS_GENERATION;
	size_t i;

	h = dc_hash64(h, &gen, sizeof(gen));
	for (i = 0; i < dc_rules_count; i++) {
		h = dc_hash64(h, dc_rules[i].name, strlen(dc_rules[i].name) + 1);
		h = dc_hash64(h, &dc_rules[i].severity, sizeof(dc_rules[i].severity));
	}
	return h;
}
