// Open-loop load in C: the same schedule, requests and measurements as open-loop-worker.ts (see
// there), at a fraction of its CPU. The generator shares the two cores with the service and the
// baseline, and each request it sends in Node cost the machine 40-50 µs, charged to whatever it
// measured; validators in the field are devices of their own. Built by open-loop.ts with the
// system's C compiler; without one the Node worker runs instead.
//
// argv: host port path templates.tsv startUnixS rate seconds connections. Prints one JSON line.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_TEMPLATES 4096
#define BUF 65536
#define HIST 2048

typedef struct {
  int fd;
  int busy;
  double taken; /* when the request in flight was taken up (ms) */
  char in[BUF];
  size_t inLen;
} Conn;

static char *heads[MAX_TEMPLATES], *tails[MAX_TEMPLATES];
static long sends[MAX_TEMPLATES];
static int templateCount, nextTemplate;
static long startUnix;
static const char *host, *path;

static double nowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int bucketOf(double ms) { return ms <= 0.01 ? 0 : (int)ceil(log(ms / 0.01) / log(1.01)); }

static int buildRequest(char *out, size_t size) {
  int k = nextTemplate;
  nextTemplate = (nextTemplate + 1) % templateCount;
  // Asia/Shanghai wall clock, as validators send it; each send of a template a second later.
  time_t t = (time_t)(startUnix + sends[k]++ + 8 * 3600);
  struct tm tm;
  gmtime_r(&t, &tm);
  char body[8192];
  int n = snprintf(body, sizeof body, "%s\"%04d-%02d-%02d %02d:%02d:%02d\"%s", heads[k], tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                   tm.tm_min, tm.tm_sec, tails[k]);
  return snprintf(out, size, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, host, n, body);
}

static int sendRequest(Conn *c, double taken) {
  char request[9000];
  int len = buildRequest(request, sizeof request);
  c->busy = 1;
  c->taken = taken;
  for (int off = 0; off < len;) {
    ssize_t w = write(c->fd, request + off, len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    off += w;
  }
  return 0;
}

static int cmpDouble(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 9) {
    fprintf(stderr, "usage: open-loop host port path templates.tsv startUnixS rate seconds connections\n");
    return 2;
  }
  host = argv[1];
  int port = atoi(argv[2]);
  path = argv[3];
  startUnix = atol(argv[5]);
  double rate = atof(argv[6]), seconds = atof(argv[7]);
  int connections = atoi(argv[8]);

  FILE *f = fopen(argv[4], "r");
  if (!f) return perror("templates"), 1;
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, f)) > 0 && templateCount < MAX_TEMPLATES) {
    if (line[got - 1] == '\n') line[--got] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    heads[templateCount] = strdup(line);
    tails[templateCount] = strdup(tab + 1);
    templateCount++;
  }
  fclose(f);
  if (templateCount == 0) return fprintf(stderr, "no templates\n"), 1;

  int ep = epoll_create1(0);
  Conn *conns = calloc(connections, sizeof(Conn));
  int *idle = malloc(sizeof(int) * connections), idleCount = 0;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &addr.sin_addr);
  for (int i = 0; i < connections; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) return perror("connect"), 1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conns[i].fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    idle[idleCount++] = i;
  }

  size_t maxLat = (size_t)(rate * seconds * 1.05) + 16;
  double *latencies = malloc(sizeof(double) * maxLat);
  long hist[HIST] = {0};
  size_t answered = 0;
  long errors = 0, non2xx = 0, issued = 0;
  double *waiting = malloc(sizeof(double) * maxLat);
  size_t waitHead = 0, waitTail = 0;
  double begin = nowMs(), lastAnswer = begin, sendingEnded = 0, deadline = 0;
  int inFlight = 0;
  struct epoll_event events[256];

  for (;;) {
    double now = nowMs();
    if (!sendingEnded && now - begin >= seconds * 1000) {
      sendingEnded = now;
      deadline = now + 10000; /* answers still owed are waited for, a little */
    }
    if (!sendingEnded) {
      long due = (long)((now - begin) / 1000 * rate);
      for (; issued < due; issued++) {
        if (idleCount > 0) {
          Conn *c = &conns[idle[--idleCount]];
          if (sendRequest(c, now) < 0) errors++, c->busy = 0;
          else inFlight++;
        } else if (waitTail < maxLat) waiting[waitTail++] = now;
      }
    } else if ((inFlight == 0 && waitHead == waitTail) || now >= deadline) break;

    int n = epoll_wait(ep, events, 256, 1);
    for (int e = 0; e < n; e++) {
      Conn *c = &conns[events[e].data.u32];
      ssize_t r = read(c->fd, c->in + c->inLen, BUF - c->inLen);
      if (r <= 0) {
        if (r < 0 && errno == EINTR) continue;
        if (c->busy) errors++, inFlight--;
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->busy = 0;
        continue;
      }
      c->inLen += r;
      char *end = memmem(c->in, c->inLen, "\r\n\r\n", 4);
      if (!end || !c->busy) continue;
      size_t headLen = end - c->in + 4;
      long contentLength = 0;
      for (char *p = c->in; p < end; p++) {
        if ((p == c->in || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) {
          contentLength = strtol(p + 15, NULL, 10);
          break;
        }
      }
      if (c->inLen < headLen + contentLength) continue;
      int status = atoi(c->in + 9);
      double t = nowMs(), ms = t - c->taken;
      if (answered < maxLat) latencies[answered] = ms;
      answered++;
      int b = bucketOf(ms);
      hist[b < HIST ? b : HIST - 1]++;
      lastAnswer = t;
      if (status < 200 || status > 299) non2xx++;
      memmove(c->in, c->in + headLen + contentLength, c->inLen - headLen - contentLength);
      c->inLen -= headLen + contentLength;
      c->busy = 0;
      inFlight--;
      if (waitHead < waitTail) {
        if (sendRequest(c, waiting[waitHead++]) < 0) errors++;
        else inFlight++;
      } else idle[idleCount++] = (int)(c - conns);
    }
  }

  double elapsed = ((sendingEnded > lastAnswer ? sendingEnded : lastAnswer) - begin) / 1000;
  long owed = inFlight + (long)(waitTail - waitHead);
  size_t measured = answered < maxLat ? answered : maxLat;
  qsort(latencies, measured, sizeof(double), cmpDouble);
#define AT(p) (measured ? latencies[(size_t)fmin(measured - 1, fmax(0, ceil((p) / 100.0 * measured) - 1))] : 0)
  printf("{\"rps\":%.3f,\"p50\":%.4f,\"p99\":%.4f,\"responses\":%zu,\"errors\":%ld,\"non2xx\":%ld,\"seconds\":%.4f,\"offered\":%.3f,\"histogram\":{", answered / elapsed, AT(50),
         AT(99), answered, errors + owed, non2xx, elapsed, issued / ((sendingEnded - begin) / 1000));
  int first = 1;
  for (int b = 0; b < HIST; b++) {
    if (!hist[b]) continue;
    printf("%s\"%d\":%ld", first ? "" : ",", b, hist[b]);
    first = 0;
  }
  printf("}}\n");
  return 0;
}
