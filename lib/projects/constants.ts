/** Length limits the project actions enforce and their forms repeat in the browser. No imports: safe in a client bundle. */
export const PROJECT_NAME_MAX_LENGTH = 80;
export const TASK_TITLE_MAX_LENGTH = 200;
/** What "Empty trash" asks the person to type; the server checks it too. */
export const EMPTY_TRASH_PHRASE = "empty trash";
