package org.twitchtriage.review.internal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The clinician pages' addresses without the file name; the pages themselves are static resources. */
@Controller
public class ClinicianPages {

    /** With the slash, so the page's relative addresses (api/..., result.html) resolve under /clinician/. */
    @GetMapping("/clinician")
    String withSlash() {
        return "redirect:/clinician/";
    }

    @GetMapping("/clinician/")
    String worklist() {
        return "forward:/clinician/index.html";
    }
}
