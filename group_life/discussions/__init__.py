"""Discussions between meetings: threads and replies in a group's, a pair's, a cohort's or a
cross-group sub-group's space, with mentions, reactions, moderation and notifications."""
