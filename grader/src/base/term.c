/* term.c: see term.h. */
#include "base/term.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int term_color_fd(int fd)
{
    const char *no = getenv("NO_COLOR");
    if (no && no[0])
        return 0;
    return isatty(fd);
}

const char *paint(int color, const char *code)
{
    return color ? code : "";
}

size_t term_width(FILE *f)
{
    struct winsize ws;
    if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col >= 20)
        return ws.ws_col;
    return 0;
}

void term_status(FILE *f, size_t index, size_t total, const char *id,
                 const char *what)
{
    enum { BAR = 20 };
    char bar[BAR + 1];
    size_t filled = total ? index * BAR / total : 0;
    for (size_t i = 0; i < BAR; i++)
        bar[i] = i < filled ? '#' : '-';
    bar[BAR] = '\0';
    char line[512];
    snprintf(line, sizeof line, "[%s] %zu/%zu %s: %s", bar, index + 1, total,
             id, what);
    size_t width = term_width(f) ? term_width(f) - 1 : 79; /* never wrap */
    if (strlen(line) > width)
        line[width] = '\0';
    fprintf(f, "\r\033[K%s", line);
    fflush(f);
}

void term_status_clear(FILE *f)
{
    fprintf(f, "\r\033[K");
    fflush(f);
}

void term_clear_screen(FILE *f)
{
    if (isatty(fileno(f)))
        fprintf(f, "\033[H\033[2J\033[3J");
}

static struct termios saved;
static volatile sig_atomic_t keys_on;

static void restore(void)
{
    if (keys_on) {
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved); /* keep typeahead */
        keys_on = 0;
    }
}

static void on_signal(int sig)
{
    restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

int term_keys_begin(void)
{
    static int hooked;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0)
        return 0;
    if (!hooked) {
        atexit(restore);
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        signal(SIGHUP, on_signal);
        hooked = 1;
    }
    struct termios raw = saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0)
        return 0;
    keys_on = 1;
    return 1;
}

void term_keys_end(void)
{
    restore();
}
