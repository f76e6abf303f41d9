// k<<<1, 1>>>(p) in a comment \
   continued on this line <<<
/* __shared__ float x[4]; k<<<1,1>>>(p) */
const char *a = "k<<<1,1>>>(p) __shared__";
const char *b = R"(raw k<<<1,1>>>(p) " __shared__ )";
const char *c = R"delim(two lines
k<<<1,1>>>(p); )" still raw )delim";
const char *d = u8"x<<<" L"y" u"z" U"w";
char e = '<', f = '"', g = L'\'';
int h = 1'000'000 + 0x1'0;
