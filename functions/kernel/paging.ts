/**
 * A port's paged list read to its end: `read(cursor)` from no cursor on, each page in turn,
 * until a page carries no `nextCursor`. A caller that has read enough stops early (`break`),
 * and no further page is read.
 */
export async function* everyPage<P extends { nextCursor?: string | undefined }>(
  read: (cursor: string | undefined) => Promise<P>,
): AsyncGenerator<P> {
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    yield page;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
