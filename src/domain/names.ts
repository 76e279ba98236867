// The one naming rule for the things users name and type in URLs, CLIs and Slack commands
// (models, segments, versions): lower-case slugs, so they never need quoting.

/** 1-64 of a-z 0-9 . _ -, a letter or digit first. */
export const SLUG = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The rule in words, for error messages: "<value> is not a valid <what> name: <SLUG_RULE>". */
export const SLUG_RULE = "use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";
