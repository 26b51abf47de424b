import { serverName, usePlantLink } from './plantLinkState';

/** The status bar's first word: which engine the app shows, this laptop's or a plant server's. */
export function ServerIndicator() {
  const link = usePlantLink();
  if (!link) return null;
  const plant = link.open === 'plant';
  return (
    <a href="#/server" className={`conn conn-${plant && link.problem ? 'offline' : 'online'}`} title={link.problem ?? undefined} data-testid="status-server">
      <span className="dot" aria-hidden />
      {plant ? `Plant server ${serverName(link.url)}${link.username ? ` (${link.username})` : ''}` : 'This laptop'}
      {link.problem && <span className="warn-text small"> · {link.problem}</span>}
    </a>
  );
}
