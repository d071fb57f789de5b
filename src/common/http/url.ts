/** The URL without its query string, which may hold secrets (`?token=`): what logs and answers show. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
