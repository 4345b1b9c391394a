import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../shared/errors.ts';

/**
 * Creates the folder an option names, with its parents, and checks that it is writable, so that a
 * bad `--out` or `--data` fails before anything is fetched or stored. A relative path is resolved
 * against the current folder.
 *
 * @throws InputError naming the option and the path when it is empty or whitespace (which would
 * otherwise resolve to the current folder), is a file, lies inside a file or is not writable.
 */
export async function prepareFolder(value: string, option: string): Promise<void> {
  if (value.trim() === '') {
    throw new InputError('folder_empty', `${option} is empty (${JSON.stringify(value)})`, {
      fix: `pass a folder path to ${option}, or leave the option out to use its default`,
    });
  }
  const path = resolve(value);
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
