/* daisy-player lists the sound cards from /proc/asound/cards before it plays, and exits
   when the file is missing, as it is on a machine without a sound card (the test VMs).
   Preloaded by tests/acceptance/daisy/test_player.py, this hands it FAKE_ASOUND_CARDS
   instead; everything else is the real player, playing through ALSA into a file. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
static const char *swap(const char *path) {
  if (path && strcmp(path, "/proc/asound/cards") == 0) {
    const char *fake = getenv("FAKE_ASOUND_CARDS");
    if (fake) return fake;
  }
  return path;
}
FILE *fopen(const char *path, const char *mode) {
  FILE *(*real)(const char *, const char *) = dlsym(RTLD_NEXT, "fopen");
  return real(swap(path), mode);
}
FILE *fopen64(const char *path, const char *mode) {
  FILE *(*real)(const char *, const char *) = dlsym(RTLD_NEXT, "fopen64");
  return real(swap(path), mode);
}
