/** A classic Prometheus label name: the only names a Mirror API condition can use. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The condition keys that choose what a stream is rather than filter labels: a gauge, a counter, a PromQL expression. */
export const SELECTOR_KEYS = ['__gauge__', '__counter__', '~'] as const;
export type SelectorKey = (typeof SELECTOR_KEYS)[number];
