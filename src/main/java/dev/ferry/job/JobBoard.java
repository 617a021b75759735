package dev.ferry.job;

import java.util.List;

/** A page of the wall board, newest first; {@code nextCursor} is null on the last page. */
public record JobBoard(List<JobBoardLine> items, String nextCursor) {}
