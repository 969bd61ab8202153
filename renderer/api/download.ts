/** Starts a browser download of `url` (same-origin or blob:) under `fileName`. */
export function triggerDownload(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
}

/** Offers text as a file download, without any server round trip. */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  triggerDownload(url, fileName);
  // The click has handed the blob to the download manager; free it once the event loop moved on.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
