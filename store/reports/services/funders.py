"""The funders' report of a month or quarter: the dashboard's figures and the participants counted
for ESF+ (entries and exits with complete records only). Counts and sums only: no person's name."""

from dataclasses import dataclass

from store.network.exports import EsfReport, esf_report
from store.reports.services.dashboard import Dashboard, dashboard
from store.reports.services.period import Period


@dataclass
class FundersReport:
    period: Period
    figures: Dashboard
    esf: EsfReport


def funders_report(period: Period) -> FundersReport:
    esf = esf_report(first=period.first, last=period.last)
    esf.incomplete_people = []  # names never leave the coordinator's page
    return FundersReport(period, dashboard(period), esf)
