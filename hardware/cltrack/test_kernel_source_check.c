/* test_kernel_source_check.c: kernel_source_check.c's scan on sources it
 * must allow (asm in comments and literals, names that contain asm) and
 * refuse (asm in code and directives, and after what only looks like a
 * comment or literal's end). Exit status 0 when every case is right. */
#include "kernel_source_check.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char *const allowed[] = {
        "// no asm here\n__kernel void k(void) {}",
        "/* asm */ __kernel void k(void) {}",
        "__kernel void k(void) { printf(\"asm\"); }",
        "char c = 'a'; // asm",
        "// a comment continued \\\nasm(\"nop\")",
        "int plasma; int asm_x; int __asm___;",
    };
    static const char *const refused[] = {
        "asm(\"nop\")",
        "__asm__(\"nop\")",
        "__asm volatile(\"\")",
        "/**/#undef asm",
        "#define X \\\n asm",
        "\"a string cut by its line's end\n asm",
        "'x\nasm",
        "/* a */ __asm",
        "#undef __asm__ // comment",
    };
    int wrong = 0;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (kernel_source_refusal(allowed[i], strlen(allowed[i])) != NULL) {
            printf("refused, expected allowed: %s\n", allowed[i]);
            wrong++;
        }
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        if (kernel_source_refusal(refused[i], strlen(refused[i])) == NULL) {
            printf("allowed, expected refused: %s\n", refused[i]);
            wrong++;
        }
    if (wrong == 0)
        printf("kernel_source_check: every source allowed or refused as "
               "expected\n");
    return wrong != 0;
}
