// The floor of reading a classic pcap at all, in C: walk every record header and test the IPv4
// protocol byte, nothing else. Shows what no reader can beat on this machine, whatever its language.
//   cc -O2 -o /tmp/floor bench/floor.c
//   /tmp/floor read FILE [KiB]        read() into one reused buffer (default 1024 KiB)
//   /tmp/floor mmap FILE [MiB]        mmap() the file in windows (default 4 MiB), no copy
// Prints "frames vrrp". Time it with `/usr/bin/time` or hyperfine. Little-endian pcap only.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static long frames, vrrp;

// Walk whole records in [p, end); returns where the first incomplete record starts.
static size_t walk(const uint8_t *b, size_t p, size_t end) {
  while (p + 16 <= end) {
    uint32_t cap;
    memcpy(&cap, b + p + 8, 4);
    if (p + 16 + cap > end) break;
    if (cap >= 24 && b[p + 16 + 12] == 8 && b[p + 16 + 13] == 0 && b[p + 16 + 23] == 112) vrrp++;
    frames++;
    p += 16 + cap;
  }
  return p;
}

static int by_read(int fd, size_t size) {
  uint8_t *b = malloc(size);
  size_t carry = 0;
  int first = 1;
  for (;;) {
    ssize_t n = read(fd, b + carry, size - carry);
    if (n < 0) { perror("read"); return 1; }
    size_t end = carry + (size_t)n;
    size_t p = walk(b, first ? 24 : 0, end);
    first = 0;
    memmove(b, b + p, end - p);
    carry = end - p;
    if (n == 0) return 0;
  }
}

static int by_mmap(int fd, size_t window) {
  struct stat st;
  if (fstat(fd, &st) != 0) { perror("fstat"); return 1; }
  size_t size = (size_t)st.st_size, off = 24;
  while (off + 16 <= size) {
    size_t base = off & ~(size_t)4095, len = window;
    if (base + len > size) len = size - base;
    uint8_t *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)base);
    if (m == MAP_FAILED) { perror("mmap"); return 1; }
    size_t p = walk(m, off - base, len);
    munmap(m, len);
    if (base + len == size || p == off - base) break;
    off = base + p;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s read|mmap FILE [size]\n", argv[0]); return 2; }
  int fd = open(argv[2], O_RDONLY);
  if (fd < 0) { perror(argv[2]); return 1; }
  int rc = strcmp(argv[1], "mmap") == 0
    ? by_mmap(fd, (size_t)(argc > 3 ? atol(argv[3]) : 4) << 20)
    : by_read(fd, (size_t)(argc > 3 ? atol(argv[3]) : 1024) << 10);
  printf("%ld %ld\n", frames, vrrp);
  return rc;
}
