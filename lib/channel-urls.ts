/** Where a brand's local channel and its posts and feeds are served (the API serves them, activities link to them). */
export function channelUrls(publicUrl: string, slug: string, postId?: string) {
  const channel = `${publicUrl}/c/${encodeURIComponent(slug)}`;
  return {
    channel,
    post: postId ? `${channel}/posts/${postId}` : channel,
    atom: `${channel}/feed.atom`,
    rss: `${channel}/feed.rss`,
  };
}
