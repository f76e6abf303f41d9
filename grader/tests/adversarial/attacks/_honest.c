/* _honest.c: appended to every attack to make the submitted target.c: the
 * honest part of a submission (add right, sub wrong on purpose, say right
 * unless the attack defines its own). */
int add(int a, int b)
{
    return a + b;
}

int sub(int a, int b)
{
    (void)b;
    return a; /* wrong on purpose: target/e_wrong must fail */
}

#ifndef OWN_SAY
const char *say(void)
{
    return "ok";
}
#endif
