import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { InputError } from '../shared/errors.ts';

/**
 * Creates the folder an option names, with its parents, and checks that it is writable, so that a
 * bad `--out` or `--data` fails before anything is fetched or stored.
 *
 * @throws InputError naming the option and the path when it is a file, lies inside a file or is
 * not writable.
 */
export async function prepareFolder(path: string, option: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
    await access(path, constants.W_OK);
  } catch (error) {
    throw folderError(path, option, error);
  }
}

function folderError(path: string, option: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') {
    return new InputError('folder_is_file', `${option} ${path} is a file, not a folder`, {
      fix: `pass a folder to ${option}, or move the file away`,
      cause: error,
    });
  }
  if (code === 'ENOTDIR') {
    return new InputError('folder_inside_file', `${option} ${path} lies inside a file`, {
      fix: `pass a folder to ${option} whose parents are all folders`,
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new InputError('folder_not_writable', `${option} ${path} is not writable (${code})`, {
      fix: `pass a folder you can write to with ${option}`,
      cause: error,
    });
  }

  return error;
}
