// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not see.
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/// Flushes every dirty page of the file system holding `fd` (syncfs(2)); -1 with errno on failure.
static inline int cposix_syncfs(int fd) {
#ifdef SYS_syncfs
    return (int)syscall(SYS_syncfs, fd);
#else
    sync();
    return 0;
#endif
}

/// Renames `from` to `to` unless `to` exists (renameat2(2) with RENAME_NOREPLACE): -1 with errno EEXIST then,
/// or ENOSYS / EINVAL where the kernel or file system lacks it (the caller falls back to link + unlink).
static inline int cposix_rename_noreplace(const char *from, const char *to) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
#else
    errno = ENOSYS;
    return -1;
#endif
}
