// Topic names in one place, so publishers and subscribers cannot drift apart.
export const topics = {
  /** The user's own profile changed. Payload: ProfileChanged. */
  profile: (userId: string) => `user.${userId}.profile`,
};

export interface ProfileChanged {
  userId: string;
}
