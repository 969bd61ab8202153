/**
 * Where the window is, as an address: `#/connections`, `#/new-export`, `#/exports`, `#/exports/<id>`,
 * `#/recipes`, `#/schedules`, `#/settings`. A hash works the same in browser mode and under app://, survives a reload,
 * and gives Back and Forward one step per place.
 */
import type { Place, View } from '../../stores/app-store.ts';

const VIEWS: readonly View[] = ['connections', 'new-export', 'exports', 'recipes', 'schedules', 'settings'];

/** The place an address names; anything unknown is the Exports list. */
export function placeFromHash(hash: string): Place {
  const [view, id, ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (!VIEWS.includes(view as View)) return { view: 'exports', jobId: undefined };
  if (view === 'exports' && id && rest.length === 0) {
    let jobId: string;
    try {
      jobId = decodeURIComponent(id);
    } catch {
      jobId = id;
    }
    return { view: 'exports', jobId };
  }
  return { view: view as View, jobId: undefined };
}

export function hashOf(place: Place): string {
  return place.view === 'exports' && place.jobId
    ? `#/exports/${encodeURIComponent(place.jobId)}`
    : `#/${place.view}`;
}

/**
 * Keeps the address and the app store's place in step, both ways: a change in the window pushes a history
 * entry; an address typed, reloaded or reached with Back/Forward moves the window. Returns the unsubscribe.
 */
export function syncPlaceWithAddress(store: {
  getState(): Place & { navigate(view: View, jobId?: string): void };
  subscribe(listener: (state: Place, prev: Place) => void): () => void;
}): () => void {
  const follow = () => {
    const place = placeFromHash(window.location.hash);
    const s = store.getState();
    if (s.view !== place.view || s.jobId !== place.jobId) s.navigate(place.view, place.jobId);
    // An unknown or empty address is shown as the place it leads to, without a step of its own.
    const wanted = hashOf(place);
    if (window.location.hash !== wanted) window.history.replaceState(null, '', wanted);
  };
  follow();
  window.addEventListener('hashchange', follow);
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.view === prev.view && s.jobId === prev.jobId) return;
    const wanted = hashOf(s);
    if (window.location.hash !== wanted) window.location.hash = wanted;
  });
  return () => {
    window.removeEventListener('hashchange', follow);
    unsubscribe();
  };
}
