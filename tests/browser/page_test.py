#!/usr/bin/python3
"""nsearch serve's page (web/) in real headless Chromium, on the news fixtures
and tests/fixtures/hostile-web: what a person types and clicks, checked
against what `nsearch --json` answers for the same search.

Run by CTest (tests/CMakeLists.txt); exits 77, reported as skipped, when
chromium, chromedriver or python3-selenium is missing. --screenshot FILE also
saves the page with results and facets (docs/serve.png)."""

import argparse
import json
import os
import sys
import tempfile
import shutil
import subprocess
import unittest
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ARGS = None

# From tests/fixtures/README.md: the titles of the cuba articles, and of the
# two of them from Reuters.
CUBA = {
    'U.S. and Cuba hold migration talks in Havana',
    'Deportation flights to Cuba resume after two-year pause',
    'The long road north: Cubans take the Nicaragua route',
    'In Florida, Cuban families wait for a knock at the door',
    'Immigration court backlog tops one million cases',
    'Venezuela steps up oil shipments to Cuba despite sanctions',
}
CUBA_REUTERS = {'U.S. and Cuba hold migration talks in Havana',
                'Venezuela steps up oil shipments to Cuba despite sanctions'}
SCRIPT_TITLE = '<script>alert(1)</script> Lantern festival lights the quay'
IMG_TITLE = '"><img src=x onerror=alert(1)> Lantern makers open their workshop'
CAFE_TITLE = 'Café Ærø hangs a lantern for every guest'
# A saved search whose query is markup: the list shows it as text.
SAVED_QUERY = 'lantern "<img src=x onerror=alert(3)>"'
SAVED = (('cuba', '--sort', 'newest', 'cuba'), ('lantern', '--any', SAVED_QUERY))

# Every element's attributes that run script, every link's scheme, every
# image and script: what an article string inserted as HTML would add.
INJECTED_JS = """
const out = {handlers: [], links: [], images: document.images.length, scripts: []};
for (const node of document.querySelectorAll('*')) {
  for (const attr of node.attributes) if (attr.name.startsWith('on')) out.handlers.push(node.tagName + ' ' + attr.name);
}
for (const a of document.querySelectorAll('a[href]')) out.links.push(a.protocol);
for (const s of document.scripts) out.scripts.push(s.getAttribute('src'));
out.tags = [...document.querySelectorAll('b, i, img, iframe, object, embed, svg')].map((n) => n.tagName);
return out;
"""


def snippet_marks(hit):
    """The matched words of a hit as the API's byte offsets cut them."""
    data = hit['snippet'].encode('utf-8')
    return [data[b:e].decode('utf-8') for b, e in hit['highlights']]


class PageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        cls.By, cls.Keys = By, Keys
        cls.work = tempfile.mkdtemp(prefix='nsearch-browser-')
        cls.env = harness.sandbox_env(cls.work)
        cls.db = os.path.join(cls.work, 'db')
        fixtures = ARGS.fixtures
        try:
            harness.build_index(ARGS.nsearch_index, cls.db,
                                [os.path.join(fixtures, 'news'), os.path.join(fixtures, 'hostile-web')], cls.env)
            for name, *args in SAVED:  # in the sandbox's XDG_CONFIG_HOME, for the start page's list
                subprocess.run([ARGS.nsearch, '--db', cls.db, '--save', name, *args], env=cls.env, check=True,
                               stdout=subprocess.DEVNULL, timeout=60)
            cls.server = harness.Server(ARGS.nsearch, cls.db, cls.env)
        except Exception:
            shutil.rmtree(cls.work, ignore_errors=True)
            raise
        try:
            cls.driver = harness.start_browser(cls.work)
        except Exception:
            cls.server.stop()
            shutil.rmtree(cls.work, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.driver.quit()
        finally:
            status = cls.server.stop()
            shutil.rmtree(cls.work, ignore_errors=True)
        if status != 0:
            raise AssertionError('nsearch serve exited %s after SIGTERM, not 0' % status)

    def setUp(self):
        self.allowed_console = []
        self.driver.get_log('browser')  # drop what earlier tests left

    def tearDown(self):
        errors = [entry['message'] for entry in self.driver.get_log('browser')
                  if entry['level'] == 'SEVERE' and not any(a in entry['message'] for a in self.allowed_console)]
        self.assertEqual(errors, [], 'errors on the console')

    # --- driving the page -------------------------------------------------

    def wait(self, condition, message, timeout=30):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout).until(lambda d: condition(), message)

    def wait_idle(self):
        """Until the page shows the answer for the state its URL holds."""
        self.wait(lambda: self.driver.execute_script(
            "return document.body.getAttribute('aria-busy') === 'false' &&"
            " document.body.dataset.shown === location.search"), 'the page still waits for an answer')

    def back(self):
        self.driver.back()
        self.wait_idle()

    def open(self, query_string=''):
        self.driver.get(self.server.url + query_string)
        self.wait_idle()

    def css(self, selector, root=None):
        return (root or self.driver).find_elements(self.By.CSS_SELECTOR, selector)

    def one(self, selector, root=None):
        found = self.css(selector, root)
        self.assertEqual(len(found), 1, selector)
        return found[0]

    def click(self, element):
        element.click()
        self.wait_idle()

    def search(self, text):
        box = self.one('#q')
        box.clear()
        box.send_keys(text, self.Keys.ENTER)
        self.wait(lambda: self.state().get('q') == [text], 'the URL does not hold the query')
        self.wait_idle()

    def press(self, key):
        self.one('body').send_keys(key)

    def state(self):
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.driver.current_url).query)

    def hits(self):
        """The hits shown, as (rank, title, date, source, snippet marks)."""
        return self.driver.execute_script("""
            return [...document.querySelectorAll('#hits > li.hit')].map((li) => ({
              rank: li.querySelector('.rank').textContent,
              title: li.querySelector('.title').textContent,
              date: (li.querySelector('.date') || {}).textContent || '',
              source: (li.querySelector('.source') || {}).textContent || '',
              marks: [...li.querySelectorAll(':scope > .snippet mark')].map((m) => m.textContent),
            }));""")

    def titles(self):
        return [hit['title'] for hit in self.hits()]

    def cli(self, *args):
        return harness.cli_json(ARGS.nsearch, self.db, self.env, *args)

    def assert_hits_are(self, *cli_args):
        """The page shows exactly the hits of `nsearch --json CLI_ARGS`: order, ranks, fields, marks."""
        expected = self.cli(*cli_args)
        shown = self.hits()
        self.assertEqual([(h['rank'], h['title'], h['date'], h['source'], h['marks']) for h in shown],
                         [('%d.' % h['rank'], h['title'] or '(untitled)', h['date'][:10], h['source'],
                           snippet_marks(h)) for h in expected['hits']])
        return expected

    def api(self, path, **params):
        url = self.server.url + path + '?' + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)

    def facet_link(self, facet, value):
        for link in self.css('section.facet[data-facet="%s"] a.facet-value' % facet):
            if link.text == value:
                return link
        self.fail('no %s facet %r' % (facet, value))

    def bar(self, period):
        return self.one('#timeline .bar[data-period="%s"]' % period)

    # --- the checks ---------------------------------------------------------

    def test_a_typed_query_shows_the_exact_hits(self):
        self.open()
        self.press('/')
        self.assertEqual(self.driver.switch_to.active_element.get_attribute('id'), 'q', '/ focuses the box')
        self.search('cuba')
        expected = self.assert_hits_are('cuba')
        self.assertEqual(set(self.titles()), CUBA)
        self.assertEqual(self.one('#summary').text, '1–6 of 6 matches')
        self.assertTrue(any(h['highlights'] for h in expected['hits']), 'the snippets mark words')

    def test_a_facet_filters_the_hits(self):
        self.open('?q=cuba')
        self.click(self.facet_link('source', 'Reuters'))
        self.assertEqual(self.state().get('source'), ['Reuters'])
        self.assert_hits_are('(cuba) AND source:"Reuters"')
        self.assertEqual(set(self.titles()), CUBA_REUTERS)
        self.assertIn('Reuters', self.one('#filters').text)
        self.click(self.facet_link('lang', 'english'))
        self.assert_hits_are('(cuba) AND source:"Reuters" AND lang:english')
        self.assertEqual(set(self.titles()), CUBA_REUTERS)
        self.click(self.css('#filters .chip-remove')[0])  # the source filter
        self.assertEqual(set(self.titles()), CUBA)
        self.click(self.facet_link('year', '2019'))
        self.assertEqual(self.state().get('since'), ['2019'])
        self.assert_hits_are('--since', '2019', '--until', '2019', '(cuba) AND lang:english')
        self.assertEqual(len(self.hits()), 2)
        # A source that is markup round-trips as words, and shows as text.
        self.open('?q=lantern')
        link = self.facet_link('source', '<b>Quay</b> Gazette')
        self.click(link)
        self.assertEqual(self.titles(), [SCRIPT_TITLE])

    def test_a_timeline_bar_narrows_the_dates(self):
        self.open('?q=cuba')
        expected = self.cli('--timeline', 'year', 'cuba')['timeline']
        shown = [(b.get_attribute('data-period'), int(b.get_attribute('data-count')))
                 for b in self.css('#timeline .bar')]
        self.assertEqual(shown, [(p['period'], p['count']) for p in expected['periods']])
        self.assertEqual(shown, [('2019', 2), ('2020', 0), ('2021', 0), ('2022', 3), ('2023', 1)])
        self.click(self.bar('2022'))
        self.assertEqual((self.state().get('since'), self.state().get('until')), (['2022'], ['2022']))
        self.assert_hits_are('--since', '2022', '--until', '2022', 'cuba')
        self.assertEqual(len(self.hits()), 3)
        self.assertTrue(all(h['date'].startswith('2022-') for h in self.hits()))
        self.assertEqual(self.one('#timeline .bars').get_attribute('data-unit'), 'month')
        self.click(self.bar('2022-08'))
        self.assertEqual(self.titles(), ['In Florida, Cuban families wait for a knock at the door'])
        self.back()
        self.assertEqual(len(self.hits()), 3, 'back: the year again')

    def test_an_article_steps_through_its_matches_and_back_returns(self):
        self.open()
        self.search('deportation flights')
        results = self.hits()
        first = self.css('#hits > li.hit .title')[0]
        self.click(first)
        self.assertTrue(self.one('#search-view').get_attribute('hidden'))
        self.assertEqual(self.one('#article-title').text, results[0]['title'])
        article_id = self.state()['article'][0]
        doc = self.api('api/article', id=article_id, q='deportation flights')
        data = doc['text'].encode('utf-8')
        wanted = [data[b:e].decode('utf-8') for b, e in doc['matches']]
        marks = self.css('#article-text mark')
        self.assertEqual([m.text for m in marks], wanted)
        self.assertGreaterEqual(len(wanted), 2)
        self.assertEqual(self.one('#article-text').get_attribute('textContent'), doc['text'])
        fields = self.one('#article-fields').text.split('\n')
        for label, value in (('Source', doc['source']), ('Date', doc['date']), ('Author', doc['author'])):
            self.assertEqual(fields[fields.index(label) + 1], value)
        self.assertEqual(doc['source'], results[0]['source'])
        count = len(wanted)

        def at():
            current = self.css('#article-text mark.current')
            return (self.one('#match-count').text, [m.get_attribute('data-match') for m in current])

        self.assertEqual(at(), ('– / %d' % count, []))
        self.press('n')
        self.assertEqual(at(), ('1 / %d' % count, ['1']))
        self.press('n')
        self.assertEqual(at(), ('2 / %d' % count, ['2']))
        self.press('p')
        self.assertEqual(at(), ('1 / %d' % count, ['1']))
        self.press('p')
        self.assertEqual(at(), ('%d / %d' % (count, count), [str(count)]), 'p wraps to the last')
        self.one('#next-match').click()
        self.assertEqual(at(), ('1 / %d' % count, ['1']))
        self.back()
        self.assertFalse(self.one('#search-view').get_attribute('hidden'))
        self.assertEqual(self.hits(), results)
        self.assertNotIn('article', self.state())
        self.driver.forward()
        self.wait_idle()
        self.assertEqual(self.state()['article'], [article_id])
        self.click(self.one('#more-like'))
        self.assertEqual(self.state().get('like'), [article_id])
        self.wait(lambda: results[0]['title'] in self.one('#filters').text, 'the like filter names its article')
        self.assert_hits_are('--like', article_id)
        self.assertNotIn(results[0]['title'], self.titles(), 'more like this leaves the article out')
        self.click(self.css('#hits .title')[0])
        self.click(self.one('#back'))
        self.assertFalse(self.one('#search-view').get_attribute('hidden'))
        self.assertEqual(self.state().get('like'), [article_id])
        self.click(self.css('#hits .title')[0])
        self.press(self.Keys.ESCAPE)
        self.wait_idle()
        self.assertFalse(self.one('#search-view').get_attribute('hidden'), 'Escape closes the article')

    def assert_nothing_injected(self):
        found = self.driver.execute_script(INJECTED_JS)
        self.assertEqual(found['handlers'], [])
        self.assertEqual(found['images'], 0)
        self.assertEqual(found['tags'], [])
        self.assertEqual(found['scripts'], ['app.js'])
        self.assertNotIn('javascript:', [p.lower() for p in found['links']])
        from selenium.common.exceptions import NoAlertPresentException
        with self.assertRaises(NoAlertPresentException):
            self.driver.switch_to.alert.text

    def open_article_titled(self, title):
        for link in self.css('#hits .title'):
            if link.text == title:
                self.click(link)
                return
        self.fail('no hit titled %r' % title)

    def test_article_strings_show_as_text_never_as_markup(self):
        self.open('?q=lantern')
        self.assertEqual(set(self.titles()), {SCRIPT_TITLE, IMG_TITLE, CAFE_TITLE, 'Paper shortage dims the lantern season'})
        self.assertIn('<b>Quay</b> Gazette', [h['source'] for h in self.hits()])
        self.assert_nothing_injected()
        self.open_article_titled(SCRIPT_TITLE)
        self.assertEqual(self.one('#article-title').text, SCRIPT_TITLE)
        fields = self.one('#article-fields').text
        for value in ('javascript:alert(1)', '<b>Quay</b> Gazette', '<i>Culture</i>'):
            self.assertIn(value, fields)
        self.assertEqual(self.css('#article-fields a'), [], 'a javascript: URL is no link')
        self.assertIn('read <script>alert(1)</script> and', self.one('#article-text').text)
        self.assert_nothing_injected()
        self.back()
        self.open_article_titled(IMG_TITLE)
        self.assertIn('"><img src=x onerror=alert(2)>', self.one('#article-fields').text)
        self.assertIn('type javascript:alert(1) into', self.one('#article-text').text)
        self.assertEqual(self.css('#article-fields a'), [])
        self.assert_nothing_injected()
        self.back()
        # Non-ASCII before the matches: byte offsets become the right characters.
        self.open_article_titled(CAFE_TITLE)
        self.assertEqual([m.text for m in self.css('#article-text mark')], ['lantern', 'lanterns'])
        links = self.css('#article-fields a')
        self.assertEqual([a.get_attribute('href') for a in links], ['https://island.example.org/cafe-lantern'])
        self.back()
        self.assert_hits_are('lantern')

    def test_saved_searches_show_their_new_counts_and_run_when_clicked(self):
        self.open()
        self.wait(lambda: self.one('#saved').get_attribute('hidden') is None, 'no saved searches shown')
        # Never checked: every match is new.
        counts = [self.cli(*args[1:])['total'] for args in SAVED]
        self.assertEqual([e['new'] for e in self.api('api/saved')['saved']], counts)
        items = self.css('#saved .saved-item')
        self.assertEqual([(self.one('.saved-name', i).text, self.one('.saved-new', i).text) for i in items],
                         [('@' + args[0], '%d new' % n) for args, n in zip(SAVED, counts)])
        self.assertEqual(self.one('.saved-name', items[1]).get_attribute('title'), SAVED_QUERY)
        self.assert_nothing_injected()
        self.click(self.one('.saved-name', items[0]))
        self.assertEqual(self.state(), {'q': ['cuba'], 'sort': ['newest']})
        self.assertTrue(self.one('#saved').get_attribute('hidden') is not None, 'the list is for the start page')
        self.assert_hits_are('--sort', 'newest', 'cuba')
        self.back()
        self.click(self.one('#saved .saved-item:nth-child(2) .saved-name'))
        self.assertEqual(self.state(), {'q': [SAVED_QUERY], 'any': ['1']})
        self.assert_hits_are('--any', SAVED_QUERY)
        self.assert_nothing_injected()

    def test_similar_expands_to_the_copies(self):
        self.open('?q=shortage+lantern')
        expected = self.assert_hits_are('shortage lantern')
        self.assertEqual(expected['hits'][0]['similar'], 1)
        button = self.one('#hits > li.hit button.similar')
        self.assertEqual(button.text, '+1 similar')
        button.click()
        self.wait(lambda: self.css('#hits ol.copies > li.hit'), 'no copies shown')
        copy = self.one('#hits ol.copies > li.hit')
        self.assertEqual(self.one('.title', copy).text, 'Paper shortage dims the lantern season')
        sources = {self.one('#hits > li.hit > .meta .source').text, self.one('.source', copy).text}
        self.assertEqual(sources, {'Coast Wire', 'Quay Gazette'})
        button.click()
        self.assertFalse(copy.is_displayed(), 'a second click folds them')
        self.click(self.one('#all'))
        self.assertEqual(self.state().get('all'), ['1'])
        self.assert_hits_are('--all', 'shortage lantern')
        self.assertEqual(len(self.hits()), 2)
        self.assertEqual(self.css('#hits button.similar'), [])

    def test_paging_sort_and_any(self):
        query = 'cuba OR oil OR election OR football'
        self.open()
        self.search(query)
        self.assert_hits_are(query)
        self.assertEqual(self.one('#summary').text, '1–10 of 17 matches')
        self.click(self.one('#pager a.next'))
        self.assertEqual(self.state().get('page'), ['2'])
        self.assert_hits_are('--offset', '10', query)
        self.assertEqual(self.hits()[0]['rank'], '11.')
        from selenium.webdriver.support.ui import Select
        Select(self.one('#sort')).select_by_value('newest')
        self.wait(lambda: self.state().get('sort') == ['newest'], 'no sort in the URL')
        self.wait_idle()
        self.assertNotIn('page', self.state(), 'a new order starts at page 1')
        self.assert_hits_are('--sort', 'newest', query)
        dates = [h['date'] for h in self.hits()]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.search('cuba opec')
        self.assert_hits_are('cuba opec')
        self.click(self.one('#any'))
        self.assertEqual(self.state().get('any'), ['1'])
        self.assert_hits_are('--any', '--sort', 'newest', 'cuba opec')
        self.assertEqual(len(self.hits()), 8)

    def test_did_you_mean_and_a_malformed_query(self):
        self.open('?q=migraton')
        expected = self.cli('migraton')
        self.assertEqual(expected['suggestion'], 'migration')
        link = self.one('#suggestion-link')
        self.assertEqual(link.text, 'migration')
        self.click(link)
        self.assertEqual(self.state().get('q'), ['migration'])
        self.assert_hits_are('migration')
        self.allowed_console = ['status of 400']
        self.search('cuba AND')
        error = self.one('#error')
        self.assertTrue(error.is_displayed())
        self.assertTrue(error.text and '\n' not in error.text, error.text)
        self.assertEqual(self.hits(), [])
        self.search('cuba')
        self.assertFalse(self.one('#error').is_displayed(), 'the error goes with a good query')

    def test_a_bookmarked_url_and_a_phone_width(self):
        self.open('?q=cuba&source=Reuters&sort=oldest')
        self.assertEqual(self.one('#q').get_attribute('value'), 'cuba')
        self.assertEqual(self.one('#sort').get_attribute('value'), 'oldest')
        self.assert_hits_are('--sort', 'oldest', '(cuba) AND source:"Reuters"')
        size = self.driver.get_window_size()
        try:
            self.driver.set_window_size(390, 844)
            self.open('?q=cuba')
            widths = self.driver.execute_script(
                'return [document.documentElement.scrollWidth, document.documentElement.clientWidth,'
                ' document.getElementById("q").getBoundingClientRect().width]')
            self.assertLessEqual(widths[0], widths[1], 'no sideways scrolling at a phone width')
            self.assertGreater(widths[2], 150, 'the search box keeps a usable width')
            self.assertTrue(self.one('#facets').is_displayed())
        finally:
            self.driver.set_window_size(size['width'], size['height'])


class NoIndexTest(unittest.TestCase):
    """A server with no index: the page says so, in one line, beside the box."""

    def test_the_page_says_there_is_no_index(self):
        from selenium.webdriver.common.keys import Keys
        work = tempfile.mkdtemp(prefix='nsearch-browser-')
        env = harness.sandbox_env(work)
        server = harness.Server(ARGS.nsearch, os.path.join(work, 'no-index'), env)
        try:
            driver = harness.start_browser(work)
            try:
                from selenium.webdriver.support.ui import WebDriverWait
                driver.get(server.url)
                summary = driver.find_element('id', 'summary')
                WebDriverWait(driver, 30).until(lambda d: summary.text, 'nothing said of the index')
                box = driver.find_element('id', 'q')
                box.send_keys('cuba', Keys.ENTER)
                error = driver.find_element('id', 'error')
                WebDriverWait(driver, 30).until(lambda d: error.is_displayed(), 'no error shown')
                self.assertTrue(error.text and '\n' not in error.text, error.text)
                self.assertEqual(driver.find_elements('css selector', '#hits li'), [])
            finally:
                driver.quit()
        finally:
            status = server.stop()
            shutil.rmtree(work, ignore_errors=True)
        self.assertEqual(status, 0)


def screenshot(path):
    """The page with results, facets and timeline, for the README."""
    PageTest.setUpClass()
    try:
        driver = PageTest.driver
        driver.set_window_size(1280, 860)
        driver.get(PageTest.server.url + '?q=cuba+OR+migration+OR+flights')
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "return document.body.getAttribute('aria-busy') === 'false'"))
        driver.execute_script('document.activeElement.blur()')  # no caret in the picture
        driver.save_screenshot(path)
    finally:
        PageTest.tearDownClass()


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--nsearch', required=True)
    parser.add_argument('--nsearch-index', required=True)
    parser.add_argument('--fixtures', required=True, help='tests/fixtures')
    parser.add_argument('--screenshot', metavar='FILE', help='save a screenshot instead of testing')
    ARGS, rest = parser.parse_known_args()
    missing = harness.missing_browser()
    if missing:
        print('skipped: ' + missing)
        return harness.SKIP
    if ARGS.screenshot:
        screenshot(ARGS.screenshot)
        return 0
    program = unittest.main(argv=[sys.argv[0], '-v', *rest], exit=False)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
