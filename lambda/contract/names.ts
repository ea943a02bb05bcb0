/** A classic Prometheus label name: the only names a Mirror API condition can use. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
