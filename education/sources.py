"""The sources of the education content (docs/clinical-safety.md, section 5), with titles and addresses.

Content files cite sources by key ("R33"); people never see a key. They see:

* a **linked title** when at least one address of the source was opened while
  the facts were gathered and is free to read (PUBLIC);
* the **title alone, without a link**, when the only addresses were not opened
  (NOT_OPENED): the page may well be public, but nobody has checked that it
  says what we cite it for, so we do not send people to it as reading;
* **nothing** for a paywalled article (PAYWALLED) or a seed document: patients
  see only sources they can read for free. These keys stay in the content
  headers so that every statement can still be traced.

Every tip and learn page must show at least one source (checked on load).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Access(StrEnum):
    PUBLIC = "public"  # opened, free to read: linked
    NOT_OPENED = "not opened"  # cited from a stable address, not read: title only
    PAYWALLED = "paywalled"  # not shown to patients


PUBLIC = Access.PUBLIC
NOT_OPENED = Access.NOT_OPENED
PAYWALLED = Access.PAYWALLED


@dataclass(frozen=True)
class Address:
    url: str
    access: Access


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    addresses: tuple[Address, ...] = ()
    #: A seed document given to the project, not a page anyone else can open.
    seed: bool = False
    #: The title people see, when the listed one would contradict what the app may say.
    patient_title: str = ""

    @property
    def shown_title(self) -> str:
        return self.patient_title or self.title

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(a.url for a in self.addresses)

    @property
    def link(self) -> str | None:
        """The first address a patient may be sent to, or None."""
        return next((a.url for a in self.addresses if a.access is PUBLIC), None)

    @property
    def shown_to_patients(self) -> bool:
        """Linked, or named by title when no address was opened; never paywalled or seed sources."""
        if self.seed or not self.addresses:
            return False
        return any(a.access is not PAYWALLED for a in self.addresses)


SOURCE_TABLE: dict[str, Source] = {
    "S0": Source("S0", "Seed document 1: What is Lambert-Eaton myasthenic syndrome?", seed=True),
    "S4": Source("S4", "Seed document 2: Lambert-Eaton syndrome, condition 101", seed=True),
    "R1": Source(
        "R1",
        "Titulaer et al.: LEMS review (Lancet Neurol 2011)",
        (Address("https://doi.org/10.1016/S1474-4422(11)70245-9", PAYWALLED),),
    ),
    "R2": Source(
        "R2",
        "Kohler & Meisel: LEMS, an overview (Neurol Int Open 2018)",
        (Address("https://doi.org/10.1055/s-0043-118274", PUBLIC),),
    ),
    "R3": Source(
        "R3",
        "LEMS presentation; overview (Medscape)",
        (
            Address("https://emedicine.medscape.com/article/1170810-clinical", PUBLIC),
            Address("https://emedicine.medscape.com/article/1170810-overview", NOT_OPENED),
        ),
    ),
    "R4": Source(
        "R4",
        "LEMS: drugs to avoid; drug treatment (Medscape)",
        (
            Address(
                "https://www.medscape.com/answers/1170810-90751/which-medications-should-be-avoided-in-the-treatment-of-lambert-eaton-myasthenic-syndrome-lems",
                PUBLIC,
            ),
            Address(
                "https://www.medscape.com/answers/1170810-90757/what-is-the-drug-treatment-for-lambert-eaton-myasthenic-syndrome-lems",
                PUBLIC,
            ),
        ),
        # The app never tells people to avoid a medicine that may be needed; the label says what the page covers.
        patient_title="LEMS: medicines that call for caution; drug treatment (Medscape)",
    ),
    "R5": Source(
        "R5",
        "LEMS signs and symptoms (MDA)",
        (Address("https://www.mda.org/disease/lambert-eaton-myasthenic-syndrome/signs-and-symptoms", PUBLIC),),
    ),
    "R6": Source(
        "R6",
        "LEMS medical management (MDA)",
        (Address("https://www.mda.org/disease/lambert-eaton-myasthenic-syndrome/medical-management", PUBLIC),),
    ),
    "R7": Source(
        "R7",
        "LEMS (NORD)",
        (Address("https://rarediseases.org/rare-diseases/lambert-eaton-myasthenic-syndrome/", NOT_OPENED),),
    ),
    "R8": Source(
        "R8",
        "Burns et al.: Oculobulbar involvement is typical in LEMS (Ann Neurol 2003)",
        (Address("https://doi.org/10.1002/ana.10477", PAYWALLED),),
    ),
    "R9": Source(
        "R9",
        "Young & Leavitt: LEMS ocular signs (J Neuroophthalmol 2016)",
        (Address("https://pubmed.ncbi.nlm.nih.gov/25993122/", PUBLIC),),
    ),
    "R10": Source(
        "R10",
        "Titulaer et al.: SCLC screening in LEMS (J Clin Oncol 2008)",
        (
            Address(
                "https://pure.eur.nl/en/publications/screening-for-small-cell-lung-cancer-a-follow-up-study-of-patient-2",
                PUBLIC,
            ),
        ),
    ),
    "R11": Source(
        "R11",
        "Titulaer et al.: DELTA-P score (J Clin Oncol 2011)",
        (Address("https://pubmed.ncbi.nlm.nih.gov/21245427/", PUBLIC),),
    ),
    "R12": Source(
        "R12",
        "Maddison et al.: DELTA-P in a prospective cohort (Sci Rep 2020)",
        (Address("https://pmc.ncbi.nlm.nih.gov/articles/PMC7324357", PUBLIC),),
    ),
    "R13": Source(
        "R13",
        "LEMS and SCLC, review (ImmunoTargets Ther 2013)",
        (Address("https://doi.org/10.2147/ITT.S31971", PUBLIC),),
    ),
    "R14": Source(
        "R14",
        "Lung cancer symptoms (NHS)",
        (Address("https://www.nhs.uk/conditions/lung-cancer/symptoms/", NOT_OPENED),),
    ),
    "R15": Source(
        "R15",
        "Checkpoint inhibitors and MG/LEMS (Front Neurol 2023)",
        (Address("https://doi.org/10.3389/fneur.2022.1004810", PUBLIC),),
    ),
    "R16": Source(
        "R16",
        "Firdapse EPAR and SmPC (EMA; UK emc text)",
        (
            Address("https://www.ema.europa.eu/en/medicines/human/EPAR/firdapse-previously-zenas", NOT_OPENED),
            Address("https://www.medicines.org.uk/emc/product/11539/smpc", PUBLIC),
        ),
    ),
    "R17": Source(
        "R17",
        "Firdapse US label, 5/2024 (FDA)",
        (
            Address(
                "https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?event=overview.process&ApplNo=208078",
                NOT_OPENED,
            ),
        ),
    ),
    "R18": Source(
        "R18",
        "Phase 3 amifampridine trial in LEMS (2019)",
        (Address("https://pubmed.ncbi.nlm.nih.gov/30801481/", PUBLIC),),
    ),
    "R19": Source(
        "R19",
        "Sanders et al.: 3,4-DAP withdrawal trial (Muscle Nerve 2018)",
        (Address("https://pmc.ncbi.nlm.nih.gov/articles/PMC5900968", PUBLIC),),
    ),
    "R20": Source(
        "R20",
        "Sanders et al.: 3TUG reliability (Muscle Nerve 2018)",
        (Address("https://pubmed.ncbi.nlm.nih.gov/28545168/", PUBLIC),),
    ),
    "R21": Source(
        "R21",
        "Mestinon label (DailyMed)",
        (
            Address(
                "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=a851795e-b7a8-40c3-9922-5e79d3eb4d92",
                NOT_OPENED,
            ),
        ),
    ),
    "R22": Source("R22", "Prednisolone (NHS)", (Address("https://www.nhs.uk/medicines/prednisolone/", NOT_OPENED),)),
    "R23": Source(
        "R23",
        "About azathioprine (NHS)",
        (Address("https://www.nhs.uk/medicines/azathioprine/about-azathioprine/", PUBLIC),),
    ),
    "R24": Source(
        "R24",
        "Maddison et al.: Rituximab in MG and LEMS (2011)",
        (Address("https://doi.org/10.1136/jnnp.2009.197632", PUBLIC),),
    ),
    "R25": Source(
        "R25", "Rituximab (LiverTox, NIH)", (Address("https://www.ncbi.nlm.nih.gov/books/NBK548249/", PUBLIC),)
    ),
    "R26": Source(
        "R26",
        "Rituxan label (FDA)",
        (
            Address(
                "https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?event=overview.process&ApplNo=103705",
                NOT_OPENED,
            ),
        ),
    ),
    "R27": Source(
        "R27",
        "Bain et al.: IVIG in LEMS trial (Neurology 1996)",
        (Address("https://www.ndm.ox.ac.uk/publications/94168", PUBLIC),),
    ),
    "R28": Source(
        "R28",
        "Guo et al.: Adverse effects of immunoglobulin (2018)",
        (Address("https://pubmed.ncbi.nlm.nih.gov/29951056/", PUBLIC),),
    ),
    "R29": Source(
        "R29",
        "Jolles & Hill: Meningitis after IVIG (BMJ 1998)",
        (Address("https://pmc.ncbi.nlm.nih.gov/articles/PMC1112825", PUBLIC),),
    ),
    "R30": Source(
        "R30",
        "Newsom-Davis & Murray: Plasma exchange in LEMS (1984)",
        (Address("https://doi.org/10.1212/WNL.34.4.480", NOT_OPENED),),
    ),
    "R31": Source(
        "R31",
        "Plasma exchange (NHNN, UCLH NHS)",
        (
            Address(
                "https://www.uclh.nhs.uk/patients-and-visitors/patient-information-pages/plasma-exchange-service-nhnn",
                PUBLIC,
            ),
        ),
    ),
    "R32": Source(
        "R32",
        "Plasma exchange adverse events (BMJ Neurol Open 2020)",
        (Address("https://doi.org/10.1136/bmjno-2019-000020", PUBLIC),),
    ),
    "R33": Source(
        "R33",
        "Cautionary drugs (Myasthenia Gravis Foundation of America)",
        (Address("https://myasthenia.org/?p=1555", PUBLIC),),
    ),
    "R34": Source(
        "R34",
        "Sheikh et al.: Drugs that worsen MG (J Clin Med 2021)",
        (Address("https://doi.org/10.3390/jcm10071537", PUBLIC),),
    ),
    "R35": Source(
        "R35",
        "Krenn et al.: Drug-worsened myasthenic syndromes (2020)",
        (Address("https://doi.org/10.3389/fnmol.2020.00156", PUBLIC),),
    ),
    "R36": Source(
        "R36",
        "Ozkul: Calcium channel blockers and the neuromuscular junction (2007)",
        (Address("https://doi.org/10.1016/j.clinph.2007.06.002", PUBLIC),),
    ),
    "R37": Source(
        "R37",
        "Botox label (FDA)",
        (
            Address(
                "https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?event=overview.process&ApplNo=103000",
                NOT_OPENED,
            ),
        ),
    ),
    "R38": Source(
        "R38",
        "Weingarten et al.: LEMS during anaesthesia (2014)",
        (
            Address(
                "https://mayoclinic.elsevierpure.com/en/publications/lambert-eaton-myasthenic-syndrome-during-anesthesia-a-report-of-3",
                PUBLIC,
            ),
        ),
    ),
    "R39": Source(
        "R39",
        "LEMS: anaesthetic implications (UCLouvain anaesthesia)",
        (Address("https://sites.uclouvain.be/anesthweekly/MRP_ENG/Lambert-EatonSyndromeDe.html", PUBLIC),),
    ),
    "R40": Source(
        "R40",
        "Anaesthetics and myasthenia (Myaware)",
        (Address("https://www.myaware.org/anaesthetic-and-myasthenia", PUBLIC),),
    ),
    "R41": Source(
        "R41",
        "Low blood pressure (NHS)",
        (Address("https://www.nhs.uk/conditions/low-blood-pressure-hypotension/", NOT_OPENED),),
    ),
    "R42": Source(
        "R42",
        "Wieling et al.: Physical countermeasures for orthostatic intolerance (2015)",
        (Address("https://doi.org/10.1111/joim.12249", PUBLIC),),
    ),
    "R43": Source(
        "R43",
        "Shaw et al.: Sit-to-stand orthostatic thresholds (2017)",
        (Address("https://pmc.ncbi.nlm.nih.gov/articles/PMC5542884", PUBLIC),),
    ),
    "R44": Source(
        "R44", "Dry mouth (NIDCR, NIH)", (Address("https://www.nidcr.nih.gov/health-info/dry-mouth", NOT_OPENED),)
    ),
    "R45": Source(
        "R45",
        "Preventing constipation (HPFT NHS)",
        (Address("https://www.hpft.nhs.uk/bowel-health/how-to-prevent-constipation/", PUBLIC),),
    ),
    "R46": Source(
        "R46",
        "Tips for eating (MG Foundation of Illinois)",
        (Address("https://www.myastheniagravis.org/life-with-mg/tips-for-eating/", PUBLIC),),
    ),
    "R47": Source(
        "R47",
        "Staying safe at home (Guy's and St Thomas' NHS)",
        (Address("https://www.guysandstthomas.nhs.uk/health-information/falls/staying-safe-home", PUBLIC),),
    ),
    "R48": Source(
        "R48",
        "Home safety check (NHS inform)",
        (
            Address(
                "https://nhsinform.scot/healthy-living/preventing-falls/home-safety/prevent-falls-by-doing-a-home-safety-check",
                PUBLIC,
            ),
        ),
    ),
    "R49": Source(
        "R49",
        "Energy conservation (NHS Fife OT)",
        (Address("https://www.nhsfife.org/services/all-services/patient-advice/energy-conservation-advice", PUBLIC),),
    ),
    "R50": Source(
        "R50",
        "Fatigue and energy conservation (Ashford and St Peter's NHS)",
        (Address("https://ashfordstpeters.nhs.uk/therapies-fatigue", PUBLIC),),
    ),
    "R51": Source(
        "R51",
        "Boom and bust (Northern Care Alliance NHS)",
        (
            Address(
                "https://northerncarealliance.nhs.uk/our-services/me-cfs-management-programme/boom-and-bust-cycle",
                PUBLIC,
            ),
        ),
    ),
    "R52": Source(
        "R52",
        "Kos et al.: Activity pacing trial (2015)",
        (Address("https://pmc.ncbi.nlm.nih.gov/articles/PMC4564796", PUBLIC),),
    ),
    "R53": Source(
        "R53",
        "Showering equipment (Disabled Living Foundation)",
        (Address("https://dlforguk.livingmadeeasy.org.uk/factsheets/showering", PUBLIC),),
    ),
    "R54": Source(
        "R54",
        "Falls prevention (Pembrokeshire County Council)",
        (Address("https://cms.pembrokeshire.gov.uk/your-personal-safety/falls-prevention", PUBLIC),),
    ),
    "R55": Source(
        "R55",
        "Acute neuromuscular respiratory failure (2017)",
        (Address("https://pubmed.ncbi.nlm.nih.gov/28187801/", PUBLIC),),
    ),
    "R56": Source(
        "R56",
        "Gray et al.: Oximetry in neuromuscular disease (2024)",
        (Address("https://doi.org/10.1183/23120541.00927-2023", PUBLIC),),
    ),
    "R57": Source(
        "R57",
        "NG42 motor neurone disease, breathing signs (NICE)",
        (Address("https://www.nice.org.uk/guidance/ng42/chapter/Recommendations", PUBLIC),),
    ),
    "R58": Source(
        "R58", "Godoy et al.: Myasthenic crisis (2013)", (Address("https://doi.org/10.1590/0004-282X20130108", PUBLIC),)
    ),
    "R59": Source(
        "R59",
        "Preparing for an emergency (MGFA)",
        (
            Address(
                "http://dnn.myasthenia.org/About-MGFA/MGFA-Publications/MGFA-MG-Community-Insider-Blog/preparing-for-a-medical-emergency-when-you-have-myasthenia-gravis",
                PUBLIC,
            ),
        ),
    ),
    "R60": Source(
        "R60", "Fever in adults (NHS)", (Address("https://www.nhs.uk/conditions/fever-in-adults/", NOT_OPENED),)
    ),
    "R61": Source(
        "R61",
        "Head injury and concussion (NHS)",
        (Address("https://www.nhs.uk/conditions/head-injury-and-concussion/", NOT_OPENED),),
    ),
    "R62": Source(
        "R62", "Single simple question in MG (2018)", (Address("https://pubmed.ncbi.nlm.nih.gov/28590545", PUBLIC),)
    ),
    "R63": Source(
        "R63",
        "MG-ADL scale (MG Foundation of Illinois)",
        (Address("https://myastheniagravis.org/mg-activities-of-daily-living-mg-adl-scale/", PUBLIC),),
    ),
    "R64": Source(
        "R64",
        "MG-ADL (MDCalc)",
        (Address("https://www.mdcalc.com/calc/10611/myasthenia-gravis-activities-of-daily-living-mg-adl", PUBLIC),),
    ),
    "R65": Source(
        "R65",
        "Guptill et al.: MG outcome measures (2023)",
        (Address("https://pmc.ncbi.nlm.nih.gov/articles/PMC10491448", PUBLIC),),
    ),
    "R66": Source(
        "R66",
        "Burns et al.: MG Composite (2010)",
        (Address("https://pmc.ncbi.nlm.nih.gov/articles/PMC3462556", PUBLIC),),
    ),
    "R67": Source(
        "R67",
        "FSS copyright and scoring (NINDS)",
        (
            Address(
                "https://commondataelements.ninds.nih.gov/ReportViewer.aspx?/nindscdereports/rptNOC&rs:Command=Render&rc:Parameters=false&crfID=F2714",
                PUBLIC,
            ),
        ),
    ),
    "R68": Source(
        "R68",
        "Mobile medical apps policy (FDA)",
        (
            Address(
                "https://www.fda.gov/regulatory-information/search-fda-guidance-documents/policy-device-software-functions-and-mobile-medical-applications",
                NOT_OPENED,
            ),
        ),
    ),
    "R69": Source(
        "R69",
        "MDCG 2019-11 rev. 1, software (EC)",
        (
            Address(
                "https://health.ec.europa.eu/medical-devices-sector/new-regulations/guidance-mdcg-endorsed-documents-and-other-guidance_en",
                NOT_OPENED,
            ),
        ),
    ),
    "R70": Source("R70", "EU MDR 2017/745", (Address("https://eur-lex.europa.eu/eli/reg/2017/745/oj", NOT_OPENED),)),
    "R71": Source("R71", "GDPR", (Address("https://eur-lex.europa.eu/eli/reg/2016/679/oj", NOT_OPENED),)),
}
