/* test_source_rules.c: judge mode's rules for CUDA sources
 * (compile/source_rules.h): what the scan finds, where, and what it must
 * not mistake for code. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/strbuf.h"
#include "compile/source_rules.h"

/* Scans text; returns the findings' count, their lines in *why. */
static int scan(const char *text, char **why)
{
    strbuf sb = {0};
    int shown = 0;
    int n = source_rules_scan("k.cu", text, strlen(text), &sb, &shown);
    *why = sb_steal(&sb);
    return n;
}

static void rejected(const char *text, const char *needle)
{
    char *why;
    cr_assert_geq(scan(text, &why), 1, "not rejected: %s", text);
    cr_assert(strstr(why, needle) != NULL, "findings %s lack %s", why, needle);
    free(why);
}

static void accepted(const char *text)
{
    char *why;
    cr_assert_eq(scan(text, &why), 0, "rejected: %s: %s", text, why);
    free(why);
}

Test(source_rules, each_forbidden_thing_names_its_line)
{
    rejected("int x;\n__global__ void k() { asm(\"nop\"); }\n",
             "k.cu:2: asm (inline assembly)");
    rejected("void f() { __asm__ volatile(\"\"); }", "k.cu:1: __asm__");
    rejected("\n\n__attribute__((constructor)) static void f(void) {}",
             "k.cu:3: __attribute__");
    rejected("[[gnu::constructor]] void f() {}", "k.cu:1: [[ (attributes)");
    rejected("[ [gnu::constructor] ] void f() {}", "[[ (attributes)");
    rejected("#pragma GCC optimize(\"O0\")\n", "k.cu:1: #pragma");
    rejected("  #  pragma once\n", "#pragma");
    rejected("#pragma unroll 4 GCC\n", "#pragma");
    rejected("#pragma unrolled\n", "#pragma");
    rejected("_Pragma(\"GCC poison x\")", "_Pragma");
    rejected("void f() { cudasimCountersReset(); }",
             "cudasimCountersReset (the simulator's controls");
    rejected("void f() { ::cudasim::g_cur = 0; }", "cudasim (the simulator's");
    rejected("void f() { ll_metric(\"x\", 1); }",
             "ll_metric (the test harness");
    rejected("void f() { LL_METRIC(\"x\", 1); }", "LL_METRIC");
    rejected("int llmlings_gpu_origin(unsigned long long *, unsigned long "
             "long *);",
             "llmlings_gpu_origin");
    rejected("void *p = dlsym(0, \"x\");", "dlsym (finding symbols");
    rejected("__global__ void k(int *p) { memset(p, 0, 64); }",
             "k.cu:1: memset (it writes memory or calls the system");
    rejected("void f() { std::memcpy(0, 0, 0); }", "memcpy");
    rejected("void f() { syscall(1, 3, \"x\", 1); }", "syscall");
    rejected("#include <fcntl.h>\nvoid f() { fcntl(3, 0); }", "k.cu:2: fcntl");
    rejected("void f() { std::ofstream o(\"/proc/self/mem\"); }", "ofstream");
    rejected("void f() { prctl(1); }", "prctl");
    rejected("void f() { __builtin_memset(0, 0, 0); }", "__builtin_memset");
    rejected("void f(int *p) { printf(\"%5n\", p); }",
             "k.cu:1: %n (printf writes memory through it)");
    rejected("void f(int *p) { printf(R\"(%hhn)\", p); }", "%n");
    rejected("#define CAT(a, b) a##b\n", "## (token pasting");
    rejected("%:define X 1\n", "%: (a digraph");
    rejected("int a<:1:>;", "<: (a digraph");
}

Test(source_rules, line_splices_do_not_hide_a_name)
{
    rejected("int x;\n__attri\\\nbute__((constructor)) void f() {}",
             "k.cu:2: __attribute__");
    rejected("a\\\ns\\\nm(\"\");", "k.cu:1: asm");
    rejected("/* a comment */ # pragma x\n", "#pragma");
    /* a NUL byte inside a comment does not end the scan */
    const char nul[] = "/* hidden \0 */ asm(\"\");";
    strbuf sb = {0};
    int shown = 0;
    cr_assert_eq(source_rules_scan("k.cu", nul, sizeof nul - 1, &sb, &shown),
                 1);
    sb_free(&sb);
}

Test(source_rules, comments_strings_and_numbers_are_not_code)
{
    accepted("// asm __attribute__ cudasimCountersReset ## [[x]]\n"
             "/* #pragma once\n asm */\n"
             "const char *s = \"asm __attribute__ ## [[ cudasim\";\n"
             "const char c = '#', q = '\\'';\n"
             "const char *r = R\"x(asm \" ## )\" cudasim)x\";\n"
             "int big = 1'000'000; double e = 1e-5 + 0x1p+3;\n"
             "__global__ void k(float *out) { out[threadIdx.x] = 1.0f; }\n"
             "std::vector<::std::string> v; int a[2] = {0}; int b = a[a[0]];\n"
             "int modulo = 7 % 2; // %:\n"
             "#include \"transpose.h\"\n#define STRING(x) #x\n"
             "#pragma unroll\n  # pragma unroll 4\n"
             "void g(int n) { printf(\"%d%% %s %5.2f\\n\", n, \"x\", 1.0); }\n"
             "__global__ void h() { __syncthreads(); __syncwarp(); }\n"
             "int memsetting = 0, my_write = 1; int rewrite(int);\n"
             "#include <fcntl.h>\n  #  include <signal.h>\n");
}

Test(source_rules, findings_shown_are_capped)
{
    char text[2048] = "";
    for (int i = 0; i < 10; i++)
        strcat(text, "asm(\"\");\n");
    strbuf sb = {0};
    int shown = 0;
    cr_assert_eq(source_rules_scan("k.cu", text, strlen(text), &sb, &shown),
                 10);
    cr_assert_eq(shown, SOURCE_RULES_MAX_SHOWN);
    sb_free(&sb);
}
