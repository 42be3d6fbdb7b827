"""The voice app's pages: public (answering by short link, the "you said, we did" page), staff (forms, results,
the poster) and moderation."""
