"""Where a report's papers come from: an arXiv search, several literature sources, or the
local library (offline)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from litcheck.console import progress, warn
from litcheck.errors import RetrievalError
from litcheck.library import Library
from litcheck.models import Paper
from litcheck.report.components import Embedder, FoundPapers
from litcheck.report.query import ExpandedQuery
from litcheck.report.search_flow import (
    FlowQuery,
    ScreenedPaper,
    SearchFlow,
    flow_from_search,
    screen_papers,
)
from litcheck.settings import Settings

if TYPE_CHECKING:
    from litcheck.retrieve.sources import Source, SourceName

#: Reciprocal-rank-fusion constant (Cormack et al., 2009).
RRF_K = 60


class ArxivSource:
    """Search arXiv with the expanded queries, then store each paper with its full text.

    Queries run narrow to broad and stop once ``max_papers`` distinct papers are found; papers
    already stored are not fetched again.

    Args:
        settings: API URLs, politeness and the offline flag.
        lib: where the papers are stored.
    """

    kind = "arxiv"

    def __init__(self, settings: Settings, lib: Library) -> None:
        self.settings = settings
        self.lib = lib

    def find(self, query: ExpandedQuery, max_papers: int, since: date | None) -> FoundPapers:
        """Search, fetch full text, store; see :class:`PaperSource`."""
        from litcheck.retrieve.arxiv_client import ArxivClient
        from litcheck.retrieve.fulltext import fetch_full_text

        found = FoundPapers(papers=[], queries=[])
        ranked: dict[str, Paper] = {}
        flow_queries: list[FlowQuery] = []
        with ArxivClient(self.settings) as client:
            with progress(transient=True) as bar:
                queries = query.arxiv_queries()
                task = bar.add_task("Searching arXiv", total=len(queries))
                for q in queries:
                    if len(ranked) >= max_papers:
                        break
                    found.queries.append(q)
                    hits = client.search(q, max_results=max_papers, since=since)
                    flow_queries.append(FlowQuery(source="arxiv", query=q, records=len(hits)))
                    if not hits:
                        found.empty_queries.append(q)
                    for paper in hits:
                        ranked.setdefault(paper.arxiv_id, paper)
                    bar.advance(task)
            chosen = list(ranked.values())[:max_papers]
            found.flow = _identification("arxiv", flow_queries, list(ranked.values()), max_papers)
            with progress(transient=True) as bar:
                task = bar.add_task("Adding papers (full text)", total=len(chosen))
                for paper in chosen:
                    # A stored paper is used as stored (an abstract-only one is not retried on
                    # every report; `litcheck add --force ID` refetches it).
                    if self.lib.has_paper(paper.arxiv_id):
                        stored = self.lib.get_paper(paper.arxiv_id)
                        if stored.full_text_source is None:
                            found.failed.append(paper.arxiv_id)
                        found.papers.append(stored)
                    else:
                        full = paper
                        if self.settings.full_text:
                            try:
                                full = fetch_full_text(paper, client.http, self.settings)
                            except RetrievalError as exc:
                                warn(f"no full text for {paper.arxiv_id}: {exc}")
                        if full.full_text_source is None:
                            found.failed.append(paper.arxiv_id)
                        self.lib.add_paper(full)
                        found.papers.append(full)
                    bar.advance(task)
        return found


class LibrarySource:
    """Find the question's papers among those already stored (no network).

    Papers are ranked by reciprocal-rank fusion of (a) each keyword query's best-passage BM25
    rank and (b) the embedding similarity of title + abstract to the question; a paper needs at
    least one keyword hit to be found at all, so an unrelated library yields nothing.

    Args:
        lib: the library.
        embedder: embeds the question and the papers' title + abstract.
    """

    kind = "library"

    def __init__(self, lib: Library, embedder: Embedder) -> None:
        self.lib = lib
        self.embedder = embedder

    def find(self, query: ExpandedQuery, max_papers: int, since: date | None) -> FoundPapers:
        """Rank stored papers for ``query``; see :class:`PaperSource`."""
        queries = query.keyword_queries()
        found = FoundPapers(papers=[], queries=queries)
        meta = {p.arxiv_id: p for p in self.lib.papers()}
        if since is not None:
            meta = {
                k: p for k, p in meta.items() if p.published is None or p.published.date() >= since
            }
        fused: dict[str, float] = {}
        flow_queries: list[FlowQuery] = []
        for q in queries:
            best: dict[str, float] = {}
            for passage, score in self.lib.search_passages(q, limit=400):
                if passage.paper_id in meta and passage.paper_id not in best:
                    best[passage.paper_id] = score
            flow_queries.append(FlowQuery(source="library", query=q, records=len(best)))
            if not best:
                found.empty_queries.append(q)
            for rank, pid in enumerate(sorted(best, key=lambda k: -best[k])):
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (RRF_K + rank + 1)
        if fused:
            ids = sorted(fused)
            texts = [f"{meta[i].title}. {meta[i].abstract}" for i in ids]
            vecs = self.embedder.encode([query.question, *texts])
            sims = vecs[1:] @ vecs[0]
            order = np.argsort(-sims, kind="stable")
            for rank, idx in enumerate(order):
                fused[ids[int(idx)]] += 1.0 / (RRF_K + rank + 1)
        ranked = sorted(fused, key=lambda k: (-fused[k], k))
        chosen = ranked[:max_papers]
        found.flow = _identification("library", flow_queries, [meta[k] for k in ranked], max_papers)
        found.papers = [self.lib.get_paper(pid) for pid in chosen]
        found.failed = [p.arxiv_id for p in found.papers if p.full_text_source is None]
        return found


def _identification(
    source: str, queries: list[FlowQuery], ranked: list[Paper], max_papers: int
) -> SearchFlow:
    """The flow of a one-source search: every query's hits, duplicates across queries (a paper
    found by several queries), and the distinct papers ranked below the ``max_papers`` kept."""
    total = sum(q.records for q in queries)
    return SearchFlow(
        queries=queries,
        records_per_source={source: total},
        duplicates_removed=max(total - len(ranked), 0),
        screened_out=[
            ScreenedPaper(
                paper=p.arxiv_id,
                title=p.title,
                reason="over max papers",
                detail=f"ranked below the {max_papers} papers kept (--max-papers)",
            )
            for p in ranked[max_papers:]
        ],
    )


class MultiSourcePaperSource:
    """A report paper source over several literature sources, recording the search flow.

    Searches each source with the question's keyword queries, merges the records
    (:func:`~litcheck.retrieve.merge.merge_records`), screens out papers out of the date range
    or without text, stores the rest with their merged metadata, and fetches arXiv full text
    for those that have an arXiv id. A failing source is recorded in :attr:`flow` and the
    others go on.

    Args:
        settings: URLs, keys, delays, the offline flag.
        lib: where papers and metadata are stored.
        names: the sources (``arxiv``, ``openalex``, ``s2``).
        sources: ready source clients (tests inject them); opened from ``names`` otherwise.
    """

    kind = "arxiv"

    def __init__(
        self,
        settings: Settings,
        lib: Library,
        names: Sequence[SourceName],
        sources: Sequence[Source] | None = None,
    ) -> None:
        self.settings = settings
        self.lib = lib
        self.names = list(names)
        self._sources = list(sources) if sources is not None else None
        self.flow = SearchFlow()

    def find(self, query: ExpandedQuery, max_papers: int, since: date | None) -> FoundPapers:
        """Search, merge, screen, store and fetch full text; see ``PaperSource``."""
        from litcheck.retrieve.fulltext import fetch_full_text
        from litcheck.retrieve.merge import merge_records, store_merged
        from litcheck.retrieve.sources import MultiSearch, open_sources, search_sources

        sources = (
            self._sources if self._sources is not None else open_sources(self.names, self.settings)
        )
        found = MultiSearch()
        try:
            for src in sources:
                queries = query.arxiv_queries() if src.name == "arxiv" else query.keyword_queries()
                one = search_sources([src], queries[:4], max_papers, since)
                found.records.update(one.records)
                found.queries += one.queries
                found.failures += one.failures
                found.warnings += one.warnings
            merged = merge_records(found.all_records())
            flow = flow_from_search(found, merged)
            kept, screened = screen_papers(merged, since)
            chosen = kept[:max_papers]
            screened += [
                ScreenedPaper(
                    paper=m.key,
                    title=m.title,
                    reason="over max papers",
                    detail=f"ranked below the {max_papers} papers kept (--max-papers)",
                )
                for m in kept[max_papers:]
            ]
            stored = store_merged(self.lib, chosen)
            papers: list[Paper] = []
            failed: list[str] = []
            arxiv_http = next(
                (getattr(s, "http", None) for s in sources if s.name == "arxiv"), None
            )
            for m, (key, _) in zip(chosen, stored, strict=True):
                paper = self.lib.get_paper(key)
                if (
                    paper.full_text_source is None
                    and m.arxiv_id
                    and self.settings.full_text
                    and arxiv_http is not None
                ):
                    try:
                        paper = fetch_full_text(paper, arxiv_http, self.settings)
                        self.lib.add_paper(paper)
                    except RetrievalError as exc:
                        warn(f"no full text for {key}: {exc}")
                if paper.full_text_source is None:
                    failed.append(key)
                papers.append(paper)
        finally:
            if self._sources is None:
                for src in sources:
                    src.close()
        self.flow = flow.model_copy(update={"screened_out": screened})
        return FoundPapers(
            papers=papers,
            queries=[f"{q.source}: {q.query}" for q in found.queries],
            empty_queries=[f"{q.source}: {q.query}" for q in found.queries if q.records == 0],
            failed=failed,
            flow=self.flow,
        )
