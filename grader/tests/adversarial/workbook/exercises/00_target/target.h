/* target.h: the API of the adversarial fixture's attacked exercise.
 * Every submission implements add() and say() honestly, sub() wrongly (so a
 * test must fail), and attack() as its attack. */
#ifndef TARGET_H
#define TARGET_H

int add(int a, int b);
int sub(int a, int b);
/* The attack; an honest submission returns 1. */
int attack(void);
/* An honest submission returns "ok". */
const char *say(void);

#endif
