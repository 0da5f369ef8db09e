/*
 * A test double of libnvidia-ml.so.1: the NVML functions Coca4ai calls, with NVML's exact
 * signatures and struct layouts, driven by a state file so that tests run the project's real
 * P/Invoke code. Built by the tests with: gcc -shared -fPIC -o libnvidia-ml-fake.so fake_nvml.c
 *
 * State file: $FAKE_NVML_STATE, else "<this library's path>.state". Re-read whenever it changes.
 * One "key=value" per line ('#' comments):
 *   driver=550.54.15          count=2               rc.nvmlInit_v2=9 (any function, global)
 *   gpuN.name= .uuid= .pci= (bus id "00000000:17:00.0") .minor= .energy_mj= .power_mw= .limit_mw=
 *   gpuN.util_gpu= .util_mem= .mem_total= .mem_used= .temp= .mig= (0/1) .max_mig= .lost= (1: GPU_IS_LOST)
 *   gpuN.procs=pid:bytes[:gi:ci],...     gpuN.rc.<function>=<code> (per device)
 *   gpuN.migM.uuid=MIG-...  gpuN.migM.slices=3
 *   reload_ms=N: look at the state file at most every N ms (benchmarks: keeps the fake's own stat() out of the figures)
 * Variants: -DFAKE_NO_MIG leaves out the optional MIG symbols; -DFAKE_NO_POWER leaves out the
 * required nvmlDeviceGetPowerUsage.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef int nvmlReturn_t;
enum { OK = 0, UNINITIALIZED = 1, INVALID_ARGUMENT = 2, NOT_SUPPORTED = 3, NOT_FOUND = 6,
       INSUFFICIENT_SIZE = 7, GPU_IS_LOST = 15, UNKNOWN = 999 };

#define MAX_GPUS 16
#define MAX_MIG 7
#define MAX_PROCS 32
#define MAX_RC 64

typedef struct { unsigned int pid; unsigned long long usedGpuMemory; unsigned int gpuInstanceId; unsigned int computeInstanceId; } nvmlProcessInfo_t;
typedef struct { char busIdLegacy[16]; unsigned int domain, bus, device, pciDeviceId, pciSubSystemId; char busId[32]; } nvmlPciInfo_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int multiprocessorCount, sharedCopyEngineCount, sharedDecoderCount, sharedEncoderCount,
                 sharedJpegCount, sharedOfaCount, gpuInstanceSliceCount, computeInstanceSliceCount;
                 unsigned long long memorySizeMB; } nvmlDeviceAttributes_t;

struct fake_device {
    int index, parent, is_mig, lost, mig_count, max_mig, nprocs;
    char name[96], uuid[96], pci[32];
    unsigned int minor, power_mw, limit_mw, util_gpu, util_mem, temp, mig_mode, slices;
    unsigned long long energy_mj, mem_total, mem_used;
    nvmlProcessInfo_t procs[MAX_PROCS];
    struct fake_device *mig[MAX_MIG];
};
typedef struct fake_device *nvmlDevice_t;

static struct fake_device gpus[MAX_GPUS];
static struct fake_device migs[MAX_GPUS][MAX_MIG];
static struct { int gpu; char fn[64]; int rc; } rcs[MAX_RC];
static int nrcs, count, initialised;
static char driver[64] = "550.54.15";
static struct timespec loaded_mtime;
static off_t loaded_size = -1;
static ino_t loaded_inode;
static long reload_ms;
static struct timespec last_check;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void copy_bounded(char *dst, size_t size, const char *src) {
    size_t n = strlen(src);
    if (n >= size) n = size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static const char *state_path(void) {
    static char path[4096];
    const char *env = getenv("FAKE_NVML_STATE");
    if (env && *env) return env;
    Dl_info info;
    if (dladdr((void *)state_path, &info) && info.dli_fname) {
        snprintf(path, sizeof path, "%s.state", info.dli_fname);
        return path;
    }
    return "fake_nvml.state";
}

static void set_field(struct fake_device *d, const char *key, const char *value) {
    if (!strcmp(key, "name")) copy_bounded(d->name, sizeof d->name, value);
    else if (!strcmp(key, "uuid")) copy_bounded(d->uuid, sizeof d->uuid, value);
    else if (!strcmp(key, "pci")) copy_bounded(d->pci, sizeof d->pci, value);
    else if (!strcmp(key, "minor")) d->minor = strtoul(value, 0, 10);
    else if (!strcmp(key, "energy_mj")) d->energy_mj = strtoull(value, 0, 10);
    else if (!strcmp(key, "power_mw")) d->power_mw = strtoul(value, 0, 10);
    else if (!strcmp(key, "limit_mw")) d->limit_mw = strtoul(value, 0, 10);
    else if (!strcmp(key, "util_gpu")) d->util_gpu = strtoul(value, 0, 10);
    else if (!strcmp(key, "util_mem")) d->util_mem = strtoul(value, 0, 10);
    else if (!strcmp(key, "mem_total")) d->mem_total = strtoull(value, 0, 10);
    else if (!strcmp(key, "mem_used")) d->mem_used = strtoull(value, 0, 10);
    else if (!strcmp(key, "temp")) d->temp = strtoul(value, 0, 10);
    else if (!strcmp(key, "mig")) d->mig_mode = strtoul(value, 0, 10);
    else if (!strcmp(key, "max_mig")) d->max_mig = atoi(value);
    else if (!strcmp(key, "lost")) d->lost = atoi(value);
    else if (!strcmp(key, "slices")) d->slices = strtoul(value, 0, 10);
    else if (!strcmp(key, "procs")) {
        char buf[2048];
        copy_bounded(buf, sizeof buf, value);
        d->nprocs = 0;
        for (char *save = 0, *tok = strtok_r(buf, ",", &save); tok && d->nprocs < MAX_PROCS; tok = strtok_r(0, ",", &save)) {
            nvmlProcessInfo_t *p = &d->procs[d->nprocs++];
            unsigned int gi = 0xFFFFFFFF, ci = 0xFFFFFFFF;
            p->pid = 0; p->usedGpuMemory = 0;
            sscanf(tok, "%u:%llu:%u:%u", &p->pid, &p->usedGpuMemory, &gi, &ci);
            p->gpuInstanceId = gi; p->computeInstanceId = ci;
        }
    }
}

/* Re-reads the state file when it changed; handles stay valid because devices live in static arrays. */
static void reload(void) {
    struct stat st;
    if (reload_ms > 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
        long elapsed = (now.tv_sec - last_check.tv_sec) * 1000 + (now.tv_nsec - last_check.tv_nsec) / 1000000;
        if (loaded_size >= 0 && elapsed < reload_ms) return;
        last_check = now;
    }
    const char *path = state_path();
    if (stat(path, &st) != 0) return;
    /* Timestamps are as coarse as the kernel's tick: `sed -i` makes a new inode, so compare that too. */
    if (st.st_ino == loaded_inode && st.st_size == loaded_size && st.st_mtim.tv_sec == loaded_mtime.tv_sec && st.st_mtim.tv_nsec == loaded_mtime.tv_nsec) return;
    FILE *f = fopen(path, "r");
    if (!f) return;
    memset(gpus, 0, sizeof gpus);
    memset(migs, 0, sizeof migs);
    nrcs = 0; count = 0;
    for (int i = 0; i < MAX_GPUS; i++) { gpus[i].index = i; gpus[i].max_mig = 7; gpus[i].limit_mw = 700000; }
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *eq = strchr(line, '=');
        if (!eq) continue;
        *eq = 0;
        const char *key = line, *value = eq + 1;
        if (!strcmp(key, "driver")) { copy_bounded(driver, sizeof driver, value); continue; }
        if (!strcmp(key, "count")) { count = atoi(value); continue; }
        if (!strcmp(key, "reload_ms")) { reload_ms = atol(value); continue; }
        if (!strncmp(key, "rc.", 3) && nrcs < MAX_RC) {
            rcs[nrcs].gpu = -1; copy_bounded(rcs[nrcs].fn, sizeof rcs[nrcs].fn, key + 3); rcs[nrcs++].rc = atoi(value);
            continue;
        }
        int g, m, used = 0;
        if (sscanf(key, "gpu%d.%n", &g, &used) == 1 && used > 0 && g >= 0 && g < MAX_GPUS) {
            const char *rest = key + used;
            if (!strncmp(rest, "rc.", 3) && nrcs < MAX_RC) {
                rcs[nrcs].gpu = g; copy_bounded(rcs[nrcs].fn, sizeof rcs[nrcs].fn, rest + 3); rcs[nrcs++].rc = atoi(value);
            } else if (sscanf(rest, "mig%d.%n", &m, &used) == 1 && m >= 0 && m < MAX_MIG) {
                struct fake_device *d = &migs[g][m];
                d->is_mig = 1; d->parent = g; d->index = m;
                set_field(d, rest + used, value);
                if (m + 1 > gpus[g].mig_count) gpus[g].mig_count = m + 1;
            } else {
                set_field(&gpus[g], rest, value);
            }
        }
    }
    fclose(f);
    for (int i = 0; i < MAX_GPUS; i++)
        for (int m = 0; m < MAX_MIG; m++) gpus[i].mig[m] = migs[i][m].is_mig ? &migs[i][m] : 0;
    loaded_size = st.st_size;
    loaded_mtime = st.st_mtim;
    loaded_inode = st.st_ino;
}

static int override(const char *fn, nvmlDevice_t d) {
    int g = d ? (d->is_mig ? d->parent : d->index) : -2;
    for (int i = 0; i < nrcs; i++)
        if ((rcs[i].gpu == -1 || rcs[i].gpu == g) && !strcmp(rcs[i].fn, fn)) return rcs[i].rc;
    return OK;
}

/* Common entry of every device call: reload, check the handle, apply overrides and GPU_IS_LOST. */
#define ENTER_DEVICE(fn, d)                                                   \
    pthread_mutex_lock(&lock);                                                \
    reload();                                                                 \
    int rc_ = !initialised ? UNINITIALIZED : !(d) ? INVALID_ARGUMENT          \
            : override(fn, d) ? override(fn, d)                               \
            : gpus[(d)->is_mig ? (d)->parent : (d)->index].lost ? GPU_IS_LOST : OK; \
    if (rc_ != OK) { pthread_mutex_unlock(&lock); return rc_; }
#define LEAVE(rc) do { pthread_mutex_unlock(&lock); return (rc); } while (0)

static nvmlReturn_t copy_string(char *out, unsigned int length, const char *value) {
    if (!out) return INVALID_ARGUMENT;
    if (strlen(value) + 1 > length) return INSUFFICIENT_SIZE;
    strcpy(out, value);
    return OK;
}

nvmlReturn_t nvmlInit_v2(void) {
    pthread_mutex_lock(&lock);
    reload();
    int rc = override("nvmlInit_v2", 0);
    if (rc == OK) initialised++;
    LEAVE(rc);
}

nvmlReturn_t nvmlShutdown(void) {
    pthread_mutex_lock(&lock);
    if (!initialised) LEAVE(UNINITIALIZED);
    initialised--;
    LEAVE(OK);
}

const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
    case OK: return "Success";
    case UNINITIALIZED: return "Uninitialized";
    case INVALID_ARGUMENT: return "Invalid Argument";
    case NOT_SUPPORTED: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case NOT_FOUND: return "Not Found";
    case INSUFFICIENT_SIZE: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case GPU_IS_LOST: return "GPU is lost";
    default: return "Unknown Error";
    }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
    pthread_mutex_lock(&lock);
    reload();
    if (!initialised) LEAVE(UNINITIALIZED);
    LEAVE(copy_string(version, length, driver));
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount) {
    pthread_mutex_lock(&lock);
    reload();
    if (!initialised) LEAVE(UNINITIALIZED);
    int rc = override("nvmlDeviceGetCount_v2", 0);
    if (rc) LEAVE(rc);
    if (!deviceCount) LEAVE(INVALID_ARGUMENT);
    *deviceCount = (unsigned int)count;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    pthread_mutex_lock(&lock);
    reload();
    if (!initialised) LEAVE(UNINITIALIZED);
    if (!device || index >= (unsigned int)count) LEAVE(INVALID_ARGUMENT);
    if (gpus[index].lost) LEAVE(GPU_IS_LOST);
    *device = &gpus[index];
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int length) {
    ENTER_DEVICE("nvmlDeviceGetName", d);
    LEAVE(copy_string(name, length, d->name));
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int length) {
    ENTER_DEVICE("nvmlDeviceGetUUID", d);
    LEAVE(copy_string(uuid, length, d->uuid));
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *pci) {
    ENTER_DEVICE("nvmlDeviceGetPciInfo_v3", d);
    if (!pci) LEAVE(INVALID_ARGUMENT);
    memset(pci, 0, sizeof *pci);
    copy_bounded(pci->busId, sizeof pci->busId, d->pci);
    copy_bounded(pci->busIdLegacy, sizeof pci->busIdLegacy, strlen(d->pci) > 4 ? d->pci + 4 : d->pci);
    sscanf(d->pci, "%x:%x:%x", &pci->domain, &pci->bus, &pci->device);
    pci->pciDeviceId = 0x233010DE;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetIndex(nvmlDevice_t d, unsigned int *index) {
    ENTER_DEVICE("nvmlDeviceGetIndex", d);
    if (!index) LEAVE(INVALID_ARGUMENT);
    *index = (unsigned int)d->index;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetMinorNumber(nvmlDevice_t d, unsigned int *minorNumber) {
    ENTER_DEVICE("nvmlDeviceGetMinorNumber", d);
    if (!minorNumber) LEAVE(INVALID_ARGUMENT);
    *minorNumber = d->minor;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *energy) {
    ENTER_DEVICE("nvmlDeviceGetTotalEnergyConsumption", d);
    if (d->is_mig) LEAVE(NOT_SUPPORTED);
    if (!energy) LEAVE(INVALID_ARGUMENT);
    *energy = d->energy_mj;
    LEAVE(OK);
}

#ifndef FAKE_NO_POWER
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *power) {
    ENTER_DEVICE("nvmlDeviceGetPowerUsage", d);
    if (d->is_mig) LEAVE(NOT_SUPPORTED);
    if (!power) LEAVE(INVALID_ARGUMENT);
    *power = d->power_mw;
    LEAVE(OK);
}
#endif

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int *limit) {
    ENTER_DEVICE("nvmlDeviceGetEnforcedPowerLimit", d);
    if (!limit) LEAVE(INVALID_ARGUMENT);
    *limit = d->limit_mw;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u) {
    ENTER_DEVICE("nvmlDeviceGetUtilizationRates", d);
    if (d->is_mig) LEAVE(NOT_SUPPORTED);
    if (!u) LEAVE(INVALID_ARGUMENT);
    u->gpu = d->util_gpu;
    u->memory = d->util_mem;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m) {
    ENTER_DEVICE("nvmlDeviceGetMemoryInfo", d);
    if (!m) LEAVE(INVALID_ARGUMENT);
    m->total = d->mem_total;
    m->used = d->mem_used;
    m->free = d->mem_total > d->mem_used ? d->mem_total - d->mem_used : 0;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t d, unsigned int *infoCount, nvmlProcessInfo_t *infos) {
    ENTER_DEVICE("nvmlDeviceGetComputeRunningProcesses_v3", d);
    if (!infoCount) LEAVE(INVALID_ARGUMENT);
    unsigned int n = (unsigned int)d->nprocs;
    if (*infoCount < n || (n > 0 && !infos)) { *infoCount = n; LEAVE(INSUFFICIENT_SIZE); }
    memcpy(infos, d->procs, n * sizeof *infos);
    *infoCount = n;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int *currentMode, unsigned int *pendingMode) {
    ENTER_DEVICE("nvmlDeviceGetMigMode", d);
    if (!currentMode || !pendingMode) LEAVE(INVALID_ARGUMENT);
    *currentMode = *pendingMode = d->mig_mode;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensorType, unsigned int *temp) {
    ENTER_DEVICE("nvmlDeviceGetTemperature", d);
    if (!temp || sensorType != 0) LEAVE(INVALID_ARGUMENT);
    *temp = d->temp;
    LEAVE(OK);
}

#ifndef FAKE_NO_MIG
nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t d, unsigned int *n) {
    ENTER_DEVICE("nvmlDeviceGetMaxMigDeviceCount", d);
    if (!n) LEAVE(INVALID_ARGUMENT);
    *n = d->mig_mode ? (unsigned int)d->max_mig : 0;
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t d, unsigned int index, nvmlDevice_t *mig) {
    ENTER_DEVICE("nvmlDeviceGetMigDeviceHandleByIndex", d);
    if (!mig || !d->mig_mode) LEAVE(INVALID_ARGUMENT);
    if (index >= MAX_MIG || !d->mig[index]) LEAVE(NOT_FOUND);
    *mig = d->mig[index];
    LEAVE(OK);
}

nvmlReturn_t nvmlDeviceGetAttributes_v2(nvmlDevice_t d, nvmlDeviceAttributes_t *a) {
    ENTER_DEVICE("nvmlDeviceGetAttributes_v2", d);
    if (!a) LEAVE(INVALID_ARGUMENT);
    memset(a, 0, sizeof *a);
    a->gpuInstanceSliceCount = d->is_mig ? d->slices : (unsigned int)d->max_mig;
    a->computeInstanceSliceCount = a->gpuInstanceSliceCount;
    a->memorySizeMB = d->mem_total >> 20;
    LEAVE(OK);
}
#endif
