/* pin.h: `grader pin` (instructor): records the pristine files of HEAD in
 * the pin file (pristine.h), or checks that the working tree still matches
 * it. Both say what they found on stdout or stderr. */
#ifndef GRADER_PIN_H
#define GRADER_PIN_H

/* Writes ROOT/.llmlings-pin.json from HEAD. Returns an exit code. */
int pin_write(const char *root);
/* Checks the working tree against the pin: EXIT_ALL_PASSED when it
 * matches, EXIT_SOME_FAILED when it is stale or missing, EXIT_USAGE when
 * it is malformed. */
int pin_check(const char *root);

#endif
