/** Where a file is, as the program's paths say it (relative, `/`-separated): no I/O. */

/** `drivers/media/pci/b2c2/` of `drivers/media/pci/b2c2/flexcop-pci.c` (`''` for a file at the top). */
export function folderOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/') + 1);
}
