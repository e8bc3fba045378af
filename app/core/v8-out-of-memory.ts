/**
 * V8's last words on stderr when a process reaches its heap cap ("Reached heap limit",
 * "JavaScript heap out of memory"): how an extraction process's exit is told apart from a crash.
 */
export const V8_OUT_OF_MEMORY = /heap limit|heap out of memory|Allocation failed/i;
