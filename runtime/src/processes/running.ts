/**
 * Whether a process of that id runs. One of another user counts too (root's `hearth update`,
 * `hearth import` from a shell): the kernel then refuses the signal instead of saying it is gone.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
