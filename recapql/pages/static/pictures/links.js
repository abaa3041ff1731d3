// The agenda's own paths for a recap's days, sessions, projects and topics: each picture links there.
const part = encodeURIComponent;

export const recapUrl = (recap) => `/recaps/${part(recap)}`;
export const dayUrl = (recap, date) => `${recapUrl(recap)}/days/${part(date)}`;
export const sessionUrl = (recap, slug) => `${recapUrl(recap)}/sessions/${part(slug)}`;
export const projectUrl = (recap, slug) => `${recapUrl(recap)}/projects/${part(slug)}`;
export const topicUrl = (recap, slug) => `${recapUrl(recap)}/topics/${part(slug)}`;
