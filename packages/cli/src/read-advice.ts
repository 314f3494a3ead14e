/** Why a file could not be read, and what to do, from the OS error (one wording for every command). */
export function readFailureAdvice(file: string, error: unknown): { why: string; hint: string } {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return { why: `${file} does not exist`, hint: 'Check the path; a run creates the file when its first module opens it.' };
    case 'EISDIR':
      return { why: `${file} is a folder, not a file`, hint: 'Pass the path of the train_data.json file itself.' };
    case 'EACCES':
    case 'EPERM':
      return { why: `this user may not read ${file} (${code})`, hint: 'Run the command as a user who can read the file and list its folder, or fix their permissions.' };
    default:
      return { why: `could not read ${file}: ${(error as Error).message}`, hint: 'See the OS error; check the disk and the path.' };
  }
}
